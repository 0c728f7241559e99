namespace Pipekit.Query.S3;

/// <summary><c>s3://bucket/key-or-prefix</c> split; a key ending in <c>/</c> or holding a wildcard names several objects.</summary>
public sealed record S3Location(string Bucket, string Key)
{
    public bool IsPattern => Key.EndsWith('/') || Key.AsSpan().IndexOfAny("*?[") >= 0;

    /// <summary>The listing prefix: the key up to its first wildcard.</summary>
    public string Prefix
    {
        get
        {
            var wildcard = Key.AsSpan().IndexOfAny("*?[");
            return wildcard < 0 ? Key : Key[..wildcard];
        }
    }

    public static S3Location Parse(string uri)
    {
        if (!uri.StartsWith("s3://", StringComparison.Ordinal)) throw new ArgumentException($"not an s3:// uri: {uri}");
        var rest = uri[5..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0) throw new ArgumentException($"an s3 uri needs a bucket and a key: {uri}");
        return new S3Location(rest[..slash], rest[(slash + 1)..]);
    }

    public override string ToString() => $"s3://{Bucket}/{Key}";
}
