namespace Pipekit.Query.Catalog;

/// <summary>
/// A registered dataset: files (a path, a glob or <c>s3://bucket/key-or-prefix</c>) published as the view
/// <see cref="Name"/>. <see cref="Options"/> are reader options (e.g. <c>header</c> for CSV), checked against a
/// list per format.
/// </summary>
public sealed record Dataset
{
    public long Id { get; init; }
    public required string Name { get; init; }
    public required string Uri { get; init; }
    public required string Format { get; init; }
    public IReadOnlyDictionary<string, object> Options { get; init; } = new Dictionary<string, object>();

    /// <summary>
    /// <c>api</c> for datasets added by a person, <c>catalog</c> for those mirrored from <c>[query].catalog_url</c>,
    /// <c>sync</c> for those a Sync module's runs register (<see cref="Module"/>).
    /// </summary>
    public string Source { get; init; } = DatasetSources.Api;

    /// <summary>The Sync module whose runs write and register this dataset (source <c>sync</c>); null otherwise.</summary>
    public string? Module { get; init; }

    public string? Etag { get; init; }
    public string Status { get; init; } = DatasetStatuses.Pending;
    public string? LastError { get; init; }
    public DateTimeOffset? RefreshedAt { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
