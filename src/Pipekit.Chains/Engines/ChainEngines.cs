using System.Collections.Concurrent;
using Pipekit.Chains.Projects;
using Pipekit.Core.Configuration;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;

namespace Pipekit.Chains.Engines;

/// <summary>
/// The engine a job names: <c>postgres</c> (the server of <c>[chains].postgres</c>), a <c>postgres://</c> URI of
/// its own (the CLI's <c>--engine</c>), <c>duckdb</c> or <c>sqlite</c> (layer files under
/// <c>$PIPEKIT_HOME/layers</c>). Engines are kept per name, so their cached fingerprints are shared by jobs.
/// </summary>
public sealed class ChainEngines(DriverRegistry drivers, PipekitEnvironment environment, SecretStore secrets) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, IChainEngine> _engines = new(StringComparer.Ordinal);

    /// <summary>The engine used when a job names none: PostgreSQL when it is configured, else DuckDB.</summary>
    public string DefaultEngine => environment.Config.Chains.Postgres is null ? "duckdb" : "postgres";

    /// <summary>The engines that can run here (for listings and the doctor check).</summary>
    public IReadOnlyList<string> Available => environment.Config.Chains.Postgres is null ? ["duckdb", "sqlite"] : ["postgres", "duckdb", "sqlite"];

    internal IChainEngine Resolve(string? spec)
    {
        var name = string.IsNullOrWhiteSpace(spec) ? DefaultEngine : spec.Trim();
        return _engines.GetOrAdd(name, Create);
    }

    /// <summary>The kind of engine <paramref name="spec"/> names, refusing one that cannot run here.</summary>
    public string Validate(string? spec) => Resolve(spec).Kind;

    private IChainEngine Create(string name)
    {
        switch (name)
        {
            case "duckdb":
            case "sqlite":
                return new FileChainEngine(drivers.Get(name), environment.Home.LayersDirectory);
            case "postgres":
                var configured = environment.Config.Chains.Postgres
                    ?? throw new ChainInputException("engine 'postgres' needs a server: set [chains].postgres in pipekit.toml to a postgres:// URI whose role has CREATEDB");
                var url = configured.StartsWith('$') ? secrets.ResolveReference("chains", configured) : configured;
                return new PostgresChainEngine(drivers.Get("postgres"), url);
            default:
                if (name.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || name.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase))
                    return new PostgresChainEngine(drivers.Get("postgres"), name);
                throw new ChainInputException($"unknown engine '{Redact(name)}'; use postgres, duckdb, sqlite or a postgres:// URI");
        }
    }

    /// <summary>Drops the spare clones PostgreSQL engines keep ready (at shutdown).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var engine in _engines.Values)
            if (engine is IAsyncDisposable disposable) await disposable.DisposeAsync();
    }

    // An unknown engine might be a URI with a password in it.
    private static string Redact(string name) => name.Contains('@') ? name[..name.IndexOf(':', StringComparison.Ordinal)] + "://…" : name;
}
