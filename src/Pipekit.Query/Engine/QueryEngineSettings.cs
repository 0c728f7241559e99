using Pipekit.Core.Configuration;

namespace Pipekit.Query.Engine;

/// <summary>The engine's limits (from <c>[query]</c>) and how its databases are set up.</summary>
public sealed record QueryEngineSettings
{
    public int MaxRows { get; init; } = 10_000;

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public int MaxConcurrent { get; init; } = Math.Max(1, Environment.ProcessorCount);

    public int MaxQueued { get; init; } = 64;

    public DatabaseSettings Database { get; init; } = new();

    /// <summary>
    /// Runs on each new database after its views and before its sandbox is locked. Tests register functions here
    /// (a rendezvous that proves two queries run at once); production code leaves it null.
    /// </summary>
    internal Action<DuckDB.NET.Data.DuckDBConnection>? BeforeSandbox { get; init; }

    public static QueryEngineSettings From(QueryOptions query, DatabaseSettings database) => new()
    {
        MaxRows = query.MaxRows,
        Timeout = query.Timeout,
        MaxConcurrent = query.EffectiveMaxConcurrent,
        MaxQueued = query.MaxQueued,
        Database = database with { MemoryLimit = query.MemoryLimit, Threads = query.Threads },
    };
}
