using Pipekit.Core.Drivers;

namespace Pipekit.Sync.Deletes;

/// <summary>A prepared delete detection: the keys table is loaded; <see cref="Statements"/> run in the merge transaction.</summary>
internal sealed record DeletePlan(TableName KeysTable, IReadOnlyList<string> Statements, long Keys, TimeSpan KeysElapsed, string? AddedColumn);
