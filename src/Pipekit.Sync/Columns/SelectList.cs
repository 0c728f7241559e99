namespace Pipekit.Sync.Columns;

/// <summary>The parsed SELECT list of a source query, or why it could not be parsed (then raw editing is the way).</summary>
public sealed record SelectList(IReadOnlyList<SelectColumn> Columns, string? Error)
{
    public bool Parsed => Error is null;
}
