namespace Pipekit.Sync.Deletes;

/// <summary>A query over a module's whole source scope, or why none could be derived (then <see cref="Sql"/> is null).</summary>
public sealed record ScopeQuery(string? Sql, string? Error);
