using System.Data.Common;
using Pipekit.Chains.Hashing;
using Pipekit.Core.Drivers;

namespace Pipekit.Chains.Engines;

/// <summary>
/// Layers as PostgreSQL template databases <c>pkl_&lt;24 hex&gt;</c>. A layer is built in a private database
/// (<c>pkb_…</c>) cloned with <c>CREATE DATABASE … TEMPLATE … STRATEGY FILE_COPY</c>, then sealed
/// (<c>IS_TEMPLATE true, ALLOW_CONNECTIONS false</c>) and renamed into place; the rename is what publishes it, so a
/// half-built layer is never visible and two builders on two nodes cannot both publish. Nothing ever connects to a
/// layer: CREATE DATABASE refuses a template with other sessions ("source database is being accessed by other
/// users"), and a layer that refuses connections cannot have any.
/// </summary>
internal sealed class PostgresChainEngine(IDriver driver, string url) : IChainEngine, IAsyncDisposable
{
    public const string LayerPrefix = "pkl_";
    public const string BuildPrefix = "pkb_";
    public const string InstancePrefix = "pkj_";
    public const string SparePrefix = "pks_";

    /// <summary>How long a fingerprint is reused: a settings change reaches the hash within this time.</summary>
    public static readonly TimeSpan FingerprintReuse = TimeSpan.FromSeconds(5);

    /// <summary>At most this many layers have a spare clone waiting at once.</summary>
    public const int MaxSpares = 4;

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _spares = new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task> _filling = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private (EngineFingerprint Fingerprint, long At)? _fingerprint;

    private static readonly string[] ResultSettings =
        ["TimeZone", "search_path", "DateStyle", "IntervalStyle", "standard_conforming_strings", "default_text_search_config", "extra_float_digits", "lc_monetary", "lc_numeric", "lc_time"];

    public string Kind => "postgres";

    public string LayerName(string stateHash) => LayerPrefix + stateHash[..24];

    /// <summary>
    /// One round trip: the result-affecting settings, template0's encoding and collation (every chain starts from
    /// it), the extension versions a step's CREATE EXTENSION would install, and the server version.
    /// </summary>
    public async Task<EngineFingerprint> FingerprintAsync(CancellationToken cancellationToken)
    {
        if (_fingerprint is { } cached && Environment.TickCount64 - cached.At < FingerprintReuse.TotalMilliseconds) return cached.Fingerprint;
        var fingerprint = await ReadFingerprintAsync(cancellationToken);
        _fingerprint = (fingerprint, Environment.TickCount64);
        return fingerprint;
    }

    private async Task<EngineFingerprint> ReadFingerprintAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT 's', n, current_setting(n) FROM unnest(@names) AS n
            UNION ALL SELECT 's', 'template0.encoding', pg_encoding_to_char(encoding) FROM pg_database WHERE datname = 'template0'
            UNION ALL SELECT 's', 'template0.collate', datcollate FROM pg_database WHERE datname = 'template0'
            UNION ALL SELECT 's', 'template0.ctype', datctype FROM pg_database WHERE datname = 'template0'
            UNION ALL SELECT 'v', 'server_version', current_setting('server_version')
            UNION ALL SELECT 'e', name, coalesce(default_version, '') FROM pg_available_extensions
            """;
        AddParameter(command, "names", ResultSettings.Append("shared_preload_libraries").ToArray());
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        var version = "";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            switch (reader.GetString(0))
            {
                case "s": settings[reader.GetString(1)] = reader.GetString(2); break;
                case "e": extensions[reader.GetString(1)] = reader.GetString(2); break;
                default: version = reader.GetString(2); break;
            }
        }
        return new EngineFingerprint(Kind, version, extensions, settings);
    }

    public async Task<bool> LayerExistsAsync(string layerName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        return await DatabaseExistsAsync(connection, layerName, cancellationToken);
    }

    /// <summary>
    /// A job's instance takes the spare clone of its layer when one is waiting (a rename, milliseconds) instead of
    /// copying the layer (CREATE DATABASE, with its checkpoints), and a new spare of that layer is made in the
    /// background for the next job. Builds and one-off runs are always fresh copies.
    /// </summary>
    public async Task<ChainDatabase> CloneAsync(string? parentLayer, string name, CancellationToken cancellationToken)
    {
        // Only a server's jobs (pkj_<id>) use spares: a one-off run (the CLI's pkj_cli_…) would leave its spare behind.
        var instance = parentLayer is not null && name.StartsWith(InstancePrefix, StringComparison.Ordinal)
            && name.Length > InstancePrefix.Length && name.AsSpan(InstancePrefix.Length).IndexOfAnyExceptInRange('0', '9') < 0;
        if (!instance || !await TakeSpareAsync(parentLayer!, name, cancellationToken))
        {
            await using var admin = await OpenAdminAsync(cancellationToken);
            await ExecuteAsync(admin, $"CREATE DATABASE {Quote(name)} TEMPLATE {Quote(parentLayer ?? "template0")} STRATEGY FILE_COPY", cancellationToken);
        }
        if (instance) Refill(parentLayer!);
        try
        {
            var connection = await driver.OpenAsync(Target(name), cancellationToken);
            return new ChainDatabase(name, connection, driver);
        }
        catch
        {
            await DropDatabaseAsync(name, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Renames the spare of <paramref name="layer"/> to <paramref name="name"/>; false when there is none (or it was dropped meanwhile).</summary>
    private async Task<bool> TakeSpareAsync(string layer, string name, CancellationToken cancellationToken)
    {
        if (!_spares.TryRemove(layer, out var spare)) return false;
        try
        {
            await using var admin = await OpenAdminAsync(cancellationToken);
            await ExecuteAsync(admin, $"ALTER DATABASE {Quote(spare)} RENAME TO {Quote(name)}", cancellationToken);
            return true;
        }
        catch (DbException ex) when (ex.SqlState is "3D000")
        {
            return false; // GC dropped it (it outlived an hour, or its layer went)
        }
    }

    /// <summary>Makes a spare clone of <paramref name="layer"/> in the background unless one is waiting or being made.</summary>
    private void Refill(string layer)
    {
        if (_stopping.IsCancellationRequested || _spares.ContainsKey(layer) || _filling.ContainsKey(layer)) return;
        string? evicted = null;
        if (_spares.Count + _filling.Count >= MaxSpares)
        {
            // Full: the spare of another layer makes room (the layer just used is the likelier to be used again).
            var other = _spares.Keys.FirstOrDefault();
            if (other is null || !_spares.TryRemove(other, out evicted)) return;
        }
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var fill = Task.Run(async () =>
        {
            await gate.Task;
            if (evicted is not null)
            {
                try { await DropDatabaseAsync(evicted, CancellationToken.None); } catch (Exception) { }
            }
            var spare = SparePrefix + layer[LayerPrefix.Length..] + "_" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)
                + "_" + Guid.NewGuid().ToString("N")[..6];
            try
            {
                await using (var admin = await OpenAdminAsync(_stopping.Token))
                    await ExecuteAsync(admin, $"CREATE DATABASE {Quote(spare)} TEMPLATE {Quote(layer)} STRATEGY FILE_COPY", _stopping.Token);
                if (!_spares.TryAdd(layer, spare) || _stopping.IsCancellationRequested) await DropDatabaseAsync(spare, CancellationToken.None);
            }
            catch (Exception)
            {
                // No spare this time (the layer was dropped, the server is busy or stopping): the next job copies the layer itself.
                try { await DropDatabaseAsync(spare, CancellationToken.None); } catch (Exception) { }
            }
            finally
            {
                _filling.TryRemove(layer, out _);
            }
        });
        if (_filling.TryAdd(layer, fill)) gate.SetResult();
        else gate.SetCanceled();
    }

    /// <summary>Stops making spares and drops the ones waiting (server shutdown); what cannot be dropped now GC drops within the hour.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await Task.WhenAll(_filling.Values).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
        }
        foreach (var layer in _spares.Keys.ToList())
        {
            if (!_spares.TryRemove(layer, out var spare)) continue;
            try { await DropDatabaseAsync(spare, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)); }
            catch (Exception) { }
        }
    }

    public async Task<bool> PublishAsync(ChainDatabase working, string layerName, CancellationToken cancellationToken)
    {
        await working.Connection.CloseAsync();
        await using var admin = await OpenAdminAsync(cancellationToken);
        await ExecuteAsync(admin, $"ALTER DATABASE {Quote(working.Name)} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false", cancellationToken);
        try
        {
            await ExecuteAsync(admin, $"ALTER DATABASE {Quote(working.Name)} RENAME TO {Quote(layerName)}", cancellationToken);
            return true;
        }
        catch (DbException ex) when (ex.SqlState == "42P04")
        {
            await DropDatabaseAsync(working.Name, CancellationToken.None);
            return false;
        }
    }

    public async Task DropAsync(ChainDatabase working, CancellationToken cancellationToken)
    {
        await working.Connection.CloseAsync();
        await DropDatabaseAsync(working.Name, cancellationToken);
    }

    public async Task KeepAsync(ChainDatabase instance, CancellationToken cancellationToken)
    {
        // A kept instance is an ordinary database: its statement_timeout was a session setting and goes with the session.
        await instance.Connection.CloseAsync();
    }

    public string ConnectTo(string instanceName) => PostgresUrls.WithDatabase(PostgresUrls.WithoutPassword(url), instanceName, pooling: true);

    public Task DropInstanceAsync(string instanceName, CancellationToken cancellationToken) => DropDatabaseAsync(instanceName, cancellationToken);

    public Task DropLayerAsync(string layerName, CancellationToken cancellationToken) => DropDatabaseAsync(layerName, cancellationToken);

    public async Task<long> LayerBytesAsync(string layerName, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT coalesce(pg_database_size(oid), 0) FROM pg_database WHERE datname = @name";
        AddParameter(command, "name", layerName);
        return await command.ExecuteScalarAsync(cancellationToken) is long bytes ? bytes : 0;
    }

    public async Task LimitStatementsAsync(ChainDatabase database, int timeoutMs, CancellationToken cancellationToken) =>
        await ExecuteAsync(database.Connection, $"SET statement_timeout = {timeoutMs}", cancellationToken);

    public (string Placeholder, string ParameterName) BindVariable(string name, int ordinal) => ($"${ordinal}", "");

    /// <summary>The names of every chain database on the server (layers, builds, instances), for GC and tests.</summary>
    public async Task<IReadOnlyList<string>> ListDatabasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = @"SELECT datname FROM pg_database WHERE datname LIKE 'pkl\_%' OR datname LIKE 'pkb\_%' OR datname LIKE 'pkj\_%' OR datname LIKE 'pks\_%' ORDER BY datname";
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) names.Add(reader.GetString(0));
        return names;
    }

    /// <summary>Whether the server's role may create databases (<c>pipekit doctor</c>).</summary>
    public async Task<bool> CanCreateDatabasesAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAdminAsync(cancellationToken);
        return await ScalarAsync(connection, "SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user", cancellationToken) is true;
    }

    public async Task DropDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using var admin = await OpenAdminAsync(cancellationToken);
        if (!await DatabaseExistsAsync(admin, name, cancellationToken)) return;
        // A template cannot be dropped; FORCE ends a cancelled job's sessions instead of waiting for them.
        await ExecuteAsync(admin, $"ALTER DATABASE {Quote(name)} WITH IS_TEMPLATE false", cancellationToken);
        await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {Quote(name)} WITH (FORCE)", cancellationToken);
    }

    private Task<DbConnection> OpenAdminAsync(CancellationToken cancellationToken) =>
        driver.OpenAsync(new ResolvedConnection("chains", Kind, url, null, null, null), cancellationToken);

    /// <summary>The configured server with another database, unpooled: each chain database is connected once, then dropped or sealed.</summary>
    private ResolvedConnection Target(string database) =>
        new("chains", Kind, PostgresUrls.WithDatabase(url, database, pooling: false), null, null, null);

    private static async Task<bool> DatabaseExistsAsync(DbConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1 FROM pg_database WHERE datname = @name";
        AddParameter(command, "name", name);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    // Names are generated (prefix + hex or job id), so quoting is for form, not defence.
    private static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
