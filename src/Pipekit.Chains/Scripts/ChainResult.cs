namespace Pipekit.Chains.Scripts;

/// <summary>
/// The head's result in the query result shape <c>{columns:[{name,type}], rows, row_count}</c>. At most
/// <see cref="MaxRows"/> rows are kept; <see cref="RowCount"/> counts them all.
/// </summary>
public sealed record ChainResult(IReadOnlyList<ChainColumn> Columns, IReadOnlyList<object?[]> Rows, long RowCount)
{
    public const int MaxRows = 10_000;

    public static readonly ChainResult Empty = new([], [], 0);
}
