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
internal sealed class PostgresChainEngine : IChainEngine, IAsyncDisposable
{
    private readonly IDriver _driver;
    private readonly string _url;

    public PostgresChainEngine(IDriver driver, string url)
    {
        _driver = driver;
        _url = url;
        _spares = new SparePool(CreateSpareAsync, DropDatabaseAsync, SpareName);
    }

    public const string LayerPrefix = "pkl_";
    public const string BuildPrefix = "pkb_";
    public const string InstancePrefix = "pkj_";
    public const string SparePrefix = "pks_";

    /// <summary>How long a fingerprint is reused: a settings change reaches the hash within this time.</summary>
    public static readonly TimeSpan FingerprintReuse = TimeSpan.FromSeconds(5);

    private readonly SparePool _spares;
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
    /// A job's instance takes a spare clone of its layer when one is ready, or waits for the one being made (a rename,
    /// milliseconds, instead of copying the layer with CREATE DATABASE and its checkpoints), and the layer's spares are
    /// topped up in the background for the next job. Builds and one-off runs are always fresh copies. The database
    /// returned says which it was (<see cref="ChainDatabase.Origin"/>).
    /// </summary>
    public async Task<ChainDatabase> CloneAsync(string? parentLayer, string name, CancellationToken cancellationToken)
    {
        // Only a server's jobs (pkj_<id>) use spares: a one-off run (the CLI's pkj_cli_…) would leave its spares behind.
        var instance = parentLayer is not null && name.StartsWith(InstancePrefix, StringComparison.Ordinal)
            && name.Length > InstancePrefix.Length && name.AsSpan(InstancePrefix.Length).IndexOfAnyExceptInRange('0', '9') < 0;
        string? origin = null;
        if (instance)
        {
            var (spare, waited) = await _spares.TakeAsync(parentLayer!, cancellationToken);
            if (spare is not null && await RenameSpareAsync(spare, name, cancellationToken))
                origin = waited < TimeSpan.FromMilliseconds(1) ? "a ready spare clone" : $"a spare clone it waited {waited.TotalMilliseconds:0} ms for";
        }
        if (origin is null)
        {
            await using var admin = await OpenAdminAsync(cancellationToken);
            await ExecuteAsync(admin, $"CREATE DATABASE {Quote(name)} TEMPLATE {Quote(parentLayer ?? "template0")} STRATEGY FILE_COPY", cancellationToken);
            origin = "a copy";
        }
        if (instance) _spares.Refill(parentLayer!);
        try
        {
            var connection = await _driver.OpenAsync(Target(name), cancellationToken);
            // A build commits each step durably before it is frozen: only rows whose commit is flushed get the hint bits
            // that let VACUUM mark their pages all-visible (a server with synchronous_commit = off would leave them unmarked).
            if (name.StartsWith(BuildPrefix, StringComparison.Ordinal)) await ExecuteAsync(connection, "SET synchronous_commit = on", cancellationToken);
            return new ChainDatabase(name, connection, _driver) { Origin = origin };
        }
        catch
        {
            await DropDatabaseAsync(name, CancellationToken.None);
            throw;
        }
    }

    /// <summary>Renames <paramref name="spare"/> to <paramref name="name"/>; false when it is gone (GC dropped it), and dropped when the rename fails otherwise.</summary>
    private async Task<bool> RenameSpareAsync(string spare, string name, CancellationToken cancellationToken)
    {
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
        catch
        {
            try { await DropDatabaseAsync(spare, CancellationToken.None); } catch (Exception) { }
            throw;
        }
    }

    /// <summary>A new spare of <paramref name="layer"/>: pks_&lt;24 hex&gt;_&lt;unix seconds&gt;_&lt;random&gt;, which GC recognises.</summary>
    private static string SpareName(string layer) =>
        SparePrefix + layer[LayerPrefix.Length..] + "_" + DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture)
        + "_" + Guid.NewGuid().ToString("N")[..6];

    private async Task CreateSpareAsync(string layer, string spare, CancellationToken cancellationToken)
    {
        await using var admin = await OpenAdminAsync(cancellationToken);
        await ExecuteAsync(admin, $"CREATE DATABASE {Quote(spare)} TEMPLATE {Quote(layer)} STRATEGY FILE_COPY", cancellationToken);
    }

    /// <summary>Stops making spares and drops the ready ones (server shutdown); what cannot be dropped now GC drops within the hour.</summary>
    public ValueTask DisposeAsync() => _spares.DisposeAsync();

    public async Task<bool> PublishAsync(ChainDatabase working, string layerName, CancellationToken cancellationToken)
    {
        await FreezeAsync(working, cancellationToken);
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

    /// <summary>
    /// <c>VACUUM (FREEZE)</c> of the tables the step wrote, before the build is sealed. A layer is cloned many times and
    /// never changed: rows left as the step wrote them would make every clone look each row's transaction up again and
    /// rewrite every page it reads — on the benchmark's 100 MiB layer that made a head scanning it ~15 times slower.
    /// Frozen once here (and marked all-visible, which index-only scans need), every clone reads them as they are. Which
    /// tables the step wrote comes from the build's own statistics (a clone starts with none), flushed first; a server
    /// without <c>pg_stat_force_next_flush</c> (before PostgreSQL 15) freezes every user table. Freezing changes no
    /// row, so the state (and its hash) is the same; a table the role may not vacuum is skipped.
    /// </summary>
    private static async Task FreezeAsync(ChainDatabase working, CancellationToken cancellationToken)
    {
        var written = true;
        try
        {
            await ExecuteAsync(working.Connection, "SELECT pg_stat_force_next_flush()", cancellationToken);
        }
        catch (DbException ex) when (ex.SqlState == "42883")
        {
            written = false;
        }
        var tables = new List<string>();
        await using (var command = working.Connection.CreateCommand())
        {
            command.CommandText = written
                ? "SELECT format('%I.%I', schemaname, relname) FROM pg_stat_user_tables WHERE n_tup_ins + n_tup_upd + n_tup_del > 0 ORDER BY 1"
                : """
                  SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                  WHERE c.relkind IN ('r', 'm') AND c.relpersistence <> 't'
                    AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%'
                  ORDER BY 1
                  """;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) tables.Add(reader.GetString(0));
        }
        if (tables.Count == 0) return;
        try
        {
            await ExecuteAsync(working.Connection, "VACUUM (FREEZE) " + string.Join(", ", tables), cancellationToken);
        }
        catch (DbException ex) when (ex.SqlState == "25001")
        {
            // A step left a transaction open: the layer is sealed as it is, unfrozen (still correct, only slower to read).
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

    public string ConnectTo(string instanceName) => PostgresUrls.WithDatabase(PostgresUrls.WithoutPassword(_url), instanceName, pooling: true);

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
        _driver.OpenAsync(new ResolvedConnection("chains", Kind, _url, null, null, null), cancellationToken);

    /// <summary>The configured server with another database, unpooled: each chain database is connected once, then dropped or sealed.</summary>
    private ResolvedConnection Target(string database) =>
        new("chains", Kind, PostgresUrls.WithDatabase(_url, database, pooling: false), null, null, null);

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
