namespace Pipekit.Server.Api.Contracts;

/// <summary>Every list response: the items, and the cursor of the next page (null on the last page or for lists that are not paged).</summary>
internal sealed record Page<T>(IReadOnlyList<T> Items, long? NextCursor)
{
    public static Page<T> All(IReadOnlyList<T> items) => new(items, null);

    /// <summary>A keyset page of rows fetched with one extra row, which tells whether another page follows.</summary>
    public static Page<T> Of(IReadOnlyList<T> rowsPlusOne, int limit, Func<T, long> id) =>
        rowsPlusOne.Count > limit ? new Page<T>(rowsPlusOne.Take(limit).ToList(), id(rowsPlusOne[limit - 1])) : new Page<T>(rowsPlusOne, null);
}
