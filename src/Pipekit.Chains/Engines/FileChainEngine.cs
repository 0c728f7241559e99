using System.Data.Common;
using Pipekit.Chains.Hashing;
using Pipekit.Core.Drivers;

namespace Pipekit.Chains.Engines;

/// <summary>
/// Layers as files <c>$PIPEKIT_HOME/layers/&lt;engine&gt;/&lt;S&gt;.db</c> for DuckDB and SQLite. A layer is built in a
/// private file under <c>work/</c> (a copy of its parent) and published by a hard-link rename that refuses to
/// replace an existing file, so the first builder wins and a reader never sees a half-written layer. Instances are
/// copies under <c>work/</c> too, deleted when their job ends.
/// </summary>
internal sealed class FileChainEngine : IChainEngine
{
    private readonly IDriver _driver;
    private readonly string _directory;
    private readonly string _work;
    private EngineFingerprint? _fingerprint;

    public FileChainEngine(IDriver driver, string layersRoot)
    {
        if (driver.Kind is not ("duckdb" or "sqlite")) throw new ArgumentException($"file layers are for duckdb and sqlite, not {driver.Kind}", nameof(driver));
        _driver = driver;
        _directory = Path.Combine(layersRoot, driver.Kind);
        _work = Path.Combine(_directory, "work");
    }

    public string Kind => _driver.Kind;

    public string LayerName(string stateHash) => Path.Combine(_directory, stateHash + ".db");

    /// <summary>The engine is the library loaded in this process, so its fingerprint is read once.</summary>
    public async Task<EngineFingerprint> FingerprintAsync(CancellationToken cancellationToken) =>
        _fingerprint ??= await ReadFingerprintAsync(cancellationToken);

    private async Task<EngineFingerprint> ReadFingerprintAsync(CancellationToken cancellationToken)
    {
        var memory = Kind == "duckdb" ? "duckdb::memory:" : "sqlite::memory:";
        await using var connection = await _driver.OpenAsync(new ResolvedConnection("chains", Kind, memory, null, null, null), cancellationToken);
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        string version;
        if (Kind == "duckdb")
        {
            version = await ScalarTextAsync(connection, "SELECT version()", cancellationToken);
            foreach (var name in new[] { "TimeZone", "Calendar", "default_collation", "default_null_order", "default_order" })
                settings[name] = await ScalarTextAsync(connection, $"SELECT current_setting('{name}')", cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT extension_name, coalesce(extension_version, '') FROM duckdb_extensions() WHERE loaded";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) extensions[reader.GetString(0)] = reader.GetString(1);
        }
        else
        {
            version = await ScalarTextAsync(connection, "SELECT sqlite_version()", cancellationToken);
            foreach (var pragma in new[] { "encoding", "foreign_keys", "recursive_triggers" })
            {
                settings[pragma] = await ScalarTextAsync(connection, $"PRAGMA {pragma}", cancellationToken);
            }
        }
        return new EngineFingerprint(Kind, version, extensions, settings);
    }

    public Task<bool> LayerExistsAsync(string layerName, CancellationToken cancellationToken) => Task.FromResult(File.Exists(layerName));

    public async Task<ChainDatabase> CloneAsync(string? parentLayer, string name, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_work);
        var path = WorkPath(name);
        if (parentLayer is not null) await CopyAsync(parentLayer, path, cancellationToken);
        try
        {
            var url = Kind == "duckdb" ? $"duckdb://{path}" : $"sqlite://{path}?Pooling=False";
            var connection = await _driver.OpenAsync(new ResolvedConnection("chains", Kind, url, null, null, null), cancellationToken);
            return new ChainDatabase(path, connection, _driver);
        }
        catch
        {
            DeleteFiles(path);
            throw;
        }
    }

    public async Task<bool> PublishAsync(ChainDatabase working, string layerName, CancellationToken cancellationToken)
    {
        await CloseAsync(working, cancellationToken);
        try
        {
            // Unix: link + unlink, which fails when the target exists instead of replacing it.
            File.Move(working.Name, layerName, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(layerName))
        {
            DeleteFiles(working.Name);
            return false;
        }
    }

    public async Task DropAsync(ChainDatabase working, CancellationToken cancellationToken)
    {
        await working.Connection.CloseAsync();
        DeleteFiles(working.Name);
    }

    public Task KeepAsync(ChainDatabase instance, CancellationToken cancellationToken) => CloseAsync(instance, cancellationToken);

    public string ConnectTo(string instanceName) => instanceName;

    public Task DropInstanceAsync(string instanceName, CancellationToken cancellationToken)
    {
        DeleteFiles(instanceName);
        return Task.CompletedTask;
    }

    public Task DropLayerAsync(string layerName, CancellationToken cancellationToken)
    {
        DeleteFiles(layerName);
        return Task.CompletedTask;
    }

    public Task<long> LayerBytesAsync(string layerName, CancellationToken cancellationToken) =>
        Task.FromResult(File.Exists(layerName) ? new FileInfo(layerName).Length : 0L);

    /// <summary>DuckDB and SQLite have no statement timeout of their own; the job's cancellation interrupts them.</summary>
    public Task LimitStatementsAsync(ChainDatabase database, int timeoutMs, CancellationToken cancellationToken) => Task.CompletedTask;

    public (string Placeholder, string ParameterName) BindVariable(string name, int ordinal) =>
        Kind == "duckdb" ? ($"${name}", name) : ($"@{name}", "@" + name);

    /// <summary>The private path of a build or an instance named <paramref name="name"/>.</summary>
    public string WorkPath(string name) => Path.Combine(_work, name + ".db");

    /// <summary>
    /// DuckDB keeps recent writes in a <c>.wal</c> beside the file until a checkpoint; the layer must be the one
    /// file, so the build is checkpointed before its connection closes.
    /// </summary>
    private async Task CloseAsync(ChainDatabase working, CancellationToken cancellationToken)
    {
        if (Kind == "duckdb")
        {
            await using var command = working.Connection.CreateCommand();
            command.CommandText = "CHECKPOINT";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await working.Connection.CloseAsync();
    }

    private static async Task CopyAsync(string source, string target, CancellationToken cancellationToken)
    {
        await using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        await from.CopyToAsync(to, 1 << 20, cancellationToken);
    }

    private static void DeleteFiles(string path)
    {
        foreach (var file in new[] { path, path + ".wal", path + "-journal", path + "-wal", path + "-shm" })
            if (File.Exists(file)) File.Delete(file);
    }

    private static async Task<string> ScalarTextAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }
}
