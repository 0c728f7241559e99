namespace Pipekit.Query.Engine;

/// <summary>
/// Everything a query database is set up with before its views: DuckDB's memory and thread limits, where it may
/// spill, and for <c>[s3] mode = "direct"</c> the httpfs secret. Built from <c>[query]</c> and <c>[s3]</c>.
/// </summary>
public sealed record DatabaseSettings
{
    public string? MemoryLimit { get; init; }

    public int? Threads { get; init; }

    /// <summary>Where DuckDB spills what does not fit in memory; allowed by the sandbox.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Directories every database may read besides the datasets' own (the S3 mirror).</summary>
    public IReadOnlyList<string> ExtraDirectories { get; init; } = [];

    /// <summary>For <c>[s3] mode = "direct"</c>: the secret DuckDB's httpfs uses; null otherwise.</summary>
    public S3DirectSecret? S3Direct { get; init; }
}
