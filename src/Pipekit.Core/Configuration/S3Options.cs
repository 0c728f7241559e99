namespace Pipekit.Core.Configuration;

/// <summary>
/// <c>[s3]</c>: where <c>s3://</c> datasets live. Credentials are not here: they are the secrets
/// <c>s3_access_key_id</c> and <c>s3_secret_access_key</c>.
/// </summary>
public sealed record S3Options
{
    /// <summary><c>cache</c> (mirror objects into <c>$PIPEKIT_HOME/cache/s3</c>) or <c>direct</c> (DuckDB's httpfs).</summary>
    public string Mode { get; init; } = "cache";

    /// <summary>The S3 endpoint, e.g. <c>http://127.0.0.1:4568</c>; null means AWS for <see cref="Region"/>.</summary>
    public string? Endpoint { get; init; }

    public string Region { get; init; } = "us-east-1";

    /// <summary>The bucket of catalog manifests that name a key rather than a full <c>s3://</c> URI.</summary>
    public string? Bucket { get; init; }

    /// <summary><c>path</c> (<c>endpoint/bucket/key</c>) or <c>vhost</c> (<c>bucket.endpoint/key</c>).</summary>
    public string UrlStyle { get; init; } = "path";

    public bool UseSsl { get; init; } = true;

    /// <summary>The size budget of the local mirror; the least recently used objects are evicted beyond it.</summary>
    public long CacheMaxMegabytes { get; init; } = 10_240;
}
