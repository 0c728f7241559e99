namespace Pipekit.Core.State;

/// <summary>A copy of the state store that <see cref="StateBackup"/> wrote.</summary>
/// <param name="Path">The backup file (SQLite) or dump (PostgreSQL, <c>pg_dump -Fc</c>).</param>
/// <param name="Bytes">Its size.</param>
/// <param name="Versions">The schema versions it holds, e.g. <c>core 1, sync 1</c>.</param>
public sealed record StateBackupResult(string Path, long Bytes, string Versions);
