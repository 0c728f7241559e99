using Pipekit.Chains.Hashing;

namespace Pipekit.Chains.Engines;

/// <summary>
/// Where a chain's states live: PostgreSQL template databases or DuckDB/SQLite layer files. A layer is immutable
/// once published and is only ever read by cloning it; working copies (builds and job instances) are private.
/// </summary>
internal interface IChainEngine
{
    /// <summary><c>postgres</c>, <c>duckdb</c> or <c>sqlite</c>: the layer table's engine column.</summary>
    string Kind { get; }

    /// <summary>The inputs of S0 for this engine as it is configured now.</summary>
    Task<EngineFingerprint> FingerprintAsync(CancellationToken cancellationToken);

    /// <summary>The database or file that holds the layer of <paramref name="stateHash"/>.</summary>
    string LayerName(string stateHash);

    Task<bool> LayerExistsAsync(string layerName, CancellationToken cancellationToken);

    /// <summary>A private copy of <paramref name="parentLayer"/> (an empty database when null) named <paramref name="name"/>, opened.</summary>
    Task<ChainDatabase> CloneAsync(string? parentLayer, string name, CancellationToken cancellationToken);

    /// <summary>
    /// Seals <paramref name="working"/> as <paramref name="layerName"/> and returns true, or returns false (and drops the
    /// copy) when another builder published that layer first.
    /// </summary>
    Task<bool> PublishAsync(ChainDatabase working, string layerName, CancellationToken cancellationToken);

    /// <summary>Drops a working copy; a copy already gone is not an error.</summary>
    Task DropAsync(ChainDatabase working, CancellationToken cancellationToken);

    /// <summary>Closes a job's instance and leaves it in place (a job that asked to keep it until its snapshot_ttl).</summary>
    Task KeepAsync(ChainDatabase instance, CancellationToken cancellationToken);

    /// <summary>How a client reaches a kept instance, never with a password: a postgres:// URI or the file's path.</summary>
    string ConnectTo(string instanceName);

    /// <summary>Drops a kept instance by the name <see cref="ChainDatabase.Name"/> had; one already gone is not an error.</summary>
    Task DropInstanceAsync(string instanceName, CancellationToken cancellationToken);

    Task DropLayerAsync(string layerName, CancellationToken cancellationToken);

    Task<long> LayerBytesAsync(string layerName, CancellationToken cancellationToken);

    /// <summary>Makes the engine itself stop any statement on <paramref name="database"/> that runs longer (PostgreSQL's statement_timeout).</summary>
    Task LimitStatementsAsync(ChainDatabase database, int timeoutMs, CancellationToken cancellationToken);

    /// <summary>How a variable appears in statement text once bound, and the name its parameter carries.</summary>
    (string Placeholder, string ParameterName) BindVariable(string name, int ordinal);
}
