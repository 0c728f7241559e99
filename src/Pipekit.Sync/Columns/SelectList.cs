namespace Pipekit.Sync.Columns;

/// <summary>
/// The parsed SELECT list of a source query, or why it could not be parsed (then raw editing is the way).
/// <see cref="Start"/> and <see cref="End"/> delimit the list in the query text (from the first item's first
/// character to the last item's last), so an edited list can be spliced back with everything else kept byte for byte.
/// </summary>
public sealed record SelectList(IReadOnlyList<SelectColumn> Columns, string? Error)
{
    public bool Parsed => Error is null;

    public int Start { get; init; }

    public int End { get; init; }

    /// <summary>The identifier quote the query uses (<c>"</c>, <c>[</c> or <c>`</c>), for aliases that need quoting.</summary>
    public char Quote { get; init; } = '"';
}
