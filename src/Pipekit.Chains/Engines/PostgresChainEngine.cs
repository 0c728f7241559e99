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
internal sealed class PostgresChainEngine(IDriver driver, string url) : IChainEngine
{
    public const string LayerPrefix = "pkl_";
    public const string BuildPrefix = "pkb_";
    public const string InstancePrefix = "pkj_";

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

    public async Task<ChainDatabase> CloneAsync(string? parentLayer, string name, CancellationToken cancellationToken)
    {
        await using (var admin = await OpenAdminAsync(cancellationToken))
            await ExecuteAsync(admin, $"CREATE DATABASE {Quote(name)} TEMPLATE {Quote(parentLayer ?? "template0")} STRATEGY FILE_COPY", cancellationToken);
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
        command.CommandText = @"SELECT datname FROM pg_database WHERE datname LIKE 'pkl\_%' OR datname LIKE 'pkb\_%' OR datname LIKE 'pkj\_%' ORDER BY datname";
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
