namespace Pipekit.Sync.Columns;

/// <summary>
/// One item of a query's SELECT list: its expression as written and its alias (<c>expr AS alias</c> or
/// <c>expr alias</c>). <see cref="Name"/> is the column name the query produces when it can be told from the
/// text: the alias, else the last part of a bare column reference. <see cref="Text"/> is the item exactly as written.
/// </summary>
public sealed record SelectColumn(int Position, string Expression, string? Alias, string? Name)
{
    public string Text { get; init; } = "";

    /// <summary>Where <see cref="Text"/> starts in the query.</summary>
    public int Offset { get; init; }
}
