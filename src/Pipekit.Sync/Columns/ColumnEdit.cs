namespace Pipekit.Sync.Columns;

/// <summary>One row of the column editor: an expression and its alias (none when blank).</summary>
public sealed record ColumnEdit(string Expression, string? Alias);
