namespace Pipekit.Query.Catalog;

/// <summary>One entry of a catalogd-compatible <c>GET /catalog/list</c>: a name, a key (in <c>[s3].bucket</c>) or a full uri, and when it last changed.</summary>
public sealed record CatalogManifest(string Name, string Uri, string? Format, DateTimeOffset UpdatedAt);
