namespace Pipekit.Core.Configuration;

/// <summary><c>[query]</c>: the DuckDB engine behind <c>POST /sql</c>, <c>pipekit query</c> and the dataset catalog.</summary>
public sealed record QueryOptions
{
    /// <summary>The most rows a JSON result holds; a longer result is cut and marked <c>"truncated": true</c>.</summary>
    public int MaxRows { get; init; } = 10_000;

    /// <summary>How long one query may run before DuckDB is interrupted (408).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Queries that run at once; null means the number of cores.</summary>
    public int? MaxConcurrent { get; init; }

    /// <summary>Queries that may wait for a slot; beyond that a query is refused with 503 and Retry-After.</summary>
    public int MaxQueued { get; init; } = 64;

    /// <summary>DuckDB's <c>memory_limit</c> (e.g. <c>"4GB"</c>); null keeps DuckDB's default (80% of RAM).</summary>
    public string? MemoryLimit { get; init; }

    /// <summary>DuckDB's <c>threads</c>; null keeps DuckDB's default (the number of cores).</summary>
    public int? Threads { get; init; }

    /// <summary>How often the registrar looks for changed datasets.</summary>
    public TimeSpan RefreshEvery { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A catalogd-compatible service whose <c>GET /catalog/list</c> adds datasets; null for none.</summary>
    public string? CatalogUrl { get; init; }

    /// <summary>The effective concurrency limit.</summary>
    public int EffectiveMaxConcurrent => MaxConcurrent ?? Math.Max(1, Environment.ProcessorCount);
}
