using Pipekit.Core.Drivers;

namespace Pipekit.Core.Transfer;

/// <summary>
/// One source query streamed into one existing destination table.
/// <see cref="Columns"/> names the destination columns in the order of the source query's columns;
/// null means the source column names as they are.
/// </summary>
public sealed record TransferRequest(
    ResolvedConnection Source,
    string Sql,
    ResolvedConnection Destination,
    TableName Table,
    IReadOnlyList<string>? Columns = null);
