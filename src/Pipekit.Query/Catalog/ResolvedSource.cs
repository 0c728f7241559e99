namespace Pipekit.Query.Catalog;

/// <summary>
/// Where a dataset's data is now: what the view reads (<see cref="ReadTarget"/>, a DuckDB literal: one glob or a list
/// of files), what the sandbox must allow, and an etag that changes when the data does.
/// </summary>
public sealed record ResolvedSource(string ReadTarget, IReadOnlyList<string> Files, IReadOnlyList<string> Directories, string Etag);
