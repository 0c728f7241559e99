namespace Pipekit.Core.Drivers;

/// <summary>
/// What to publish: the destination table of the working copy and, for an append, the table holding only the new rows
/// (they become one new file next to the current ones; otherwise the whole table is rewritten as a new file set).
/// <see cref="StatColumns"/> (the merge key) get a per-file min/max in the manifest.
/// </summary>
public sealed record FilePublishRequest(TableName Table, TableName? AppendedRows, IReadOnlyList<string> StatColumns);
