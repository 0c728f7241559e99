namespace Pipekit.Sync.Watermarks;

/// <summary>
/// A named placeholder of the source query. Its resolver SQL runs live on its own connection before each run;
/// the first column of the first row, as text, replaces <c>{Name}</c> literally.
/// </summary>
public sealed record Watermark
{
    public long Id { get; init; }
    public long ModuleId { get; init; }
    public required string Name { get; init; }
    public long ConnectionId { get; init; }
    public required string ResolverSql { get; init; }
    /// <summary>Used when the resolver returns NULL or no rows.</summary>
    public string? DefaultValue { get; init; }
}
