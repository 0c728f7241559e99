using System.Data.Common;
using System.Net.Sockets;
using Npgsql;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Postgres;

namespace Pipekit.Core.State;

/// <summary>
/// A PostgreSQL database as the state store (<c>[state] url</c>). The URL is parsed by the PostgreSQL driver's own
/// parser; the password comes from a <c>$NAME</c> secret reference, resolved on first use so that a missing secret
/// or an unreachable server is a clear error of the command (or a FAIL line of the doctor), not of startup.
/// </summary>
internal sealed class PostgresStateDatabase : IStateDatabase
{
    // Any constant both Pipekit processes agree on: the advisory lock that makes migrations take turns.
    private const long MigrationLockKey = 0x50_69_70_65_6B_69_74; // "Pipekit"

    private const string UniqueViolation = "23505";
    private const string ForeignKeyViolation = "23503";
    private const string SerializationFailure = "40001";
    private const string DeadlockDetected = "40P01";

    private readonly string _url;
    private readonly Func<string?> _password;
    private readonly Lazy<NpgsqlDataSource> _dataSource;

    /// <param name="url">A <c>postgres://user@host:port/database</c> URL without a password.</param>
    /// <param name="password">Resolves the password (null for none); called once, on first open.</param>
    public PostgresStateDatabase(string url, Func<string?> password)
    {
        _url = url;
        _password = password;
        Location = DescribeUrl(url);
        _dataSource = new Lazy<NpgsqlDataSource>(CreateDataSource, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public StoreKind Kind => StoreKind.Postgres;

    public string Location { get; }

    // The database itself must exist (an administrator creates it); the schema is what 'pipekit init' creates.
    public bool Exists => true;

    /// <summary>The URL as messages show it: no password, no options (an option may carry a secret).</summary>
    public static string DescribeUrl(string url)
    {
        try
        {
            return ServerUri.Parse(url).ToString();
        }
        catch (DriverException)
        {
            return "postgres://(unparsable url)";
        }
    }

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _dataSource.Value.OpenConnectionAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            throw new StateException($"cannot reach the state store {Location}: {Reason(ex)}; check [state] url and password (or PIPEKIT_STATE_URL) and that the server is running", ex);
        }
    }

    // The database exists already; there is nothing to switch on before the first migration.
    public Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task<IReadOnlySet<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        (await connection.RowsAsync(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @table",
            new StateArgs { { "table", table } }, r => r.GetString(0), null, cancellationToken)).ToHashSet(StringComparer.Ordinal);

    public async Task<IReadOnlyList<string>> TablesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.RowsAsync(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
            null, r => r.GetString(0), transaction, cancellationToken);

    // Held until the transaction ends, so two processes migrating the same database apply each step once, in turn.
    public async Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        await connection.ExecAsync("SELECT pg_advisory_xact_lock(@key)", new StateArgs { { "key", MigrationLockKey } }, transaction, cancellationToken);

    public bool IsUniqueViolation(DbException exception, string table) =>
        exception is PostgresException { SqlState: UniqueViolation } pg && string.Equals(pg.TableName, table, StringComparison.Ordinal);

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is PostgresException { SqlState: ForeignKeyViolation };

    public bool IsRetryable(DbException exception) =>
        exception is PostgresException { SqlState: SerializationFailure or DeadlockDetected };

    public async ValueTask DisposeAsync()
    {
        if (_dataSource.IsValueCreated) await _dataSource.Value.DisposeAsync();
    }

    public void Dispose()
    {
        if (_dataSource.IsValueCreated) _dataSource.Value.Dispose();
    }

    /// <summary>
    /// The libpq environment (<c>PGHOST</c>, <c>PGPORT</c>, <c>PGUSER</c>, <c>PGPASSWORD</c>, <c>PGSSLMODE</c>) and the
    /// database name that <c>pg_dump</c> and <c>pg_restore</c> need to reach this store; the password travels only in
    /// the environment, never on a command line.
    /// </summary>
    public (IReadOnlyDictionary<string, string> Environment, string Database) ClientSettings()
    {
        var b = new NpgsqlConnectionStringBuilder(PostgresConnectionString.Build(new ResolvedConnection("state", "postgres", _url, null, _password(), null)));
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!string.IsNullOrEmpty(b.Host)) env["PGHOST"] = b.Host;
        env["PGPORT"] = b.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(b.Username)) env["PGUSER"] = b.Username;
        if (!string.IsNullOrEmpty(b.Password)) env["PGPASSWORD"] = b.Password;
        env["PGSSLMODE"] = b.SslMode switch
        {
            SslMode.Disable => "disable",
            SslMode.Allow => "allow",
            SslMode.Require => "require",
            SslMode.VerifyCA => "verify-ca",
            SslMode.VerifyFull => "verify-full",
            _ => "prefer",
        };
        return (env, b.Database ?? throw new StateException($"the state store URL {Location} names no database; add it, e.g. postgres://pipekit@db:5432/pipekit"));
    }

    private NpgsqlDataSource CreateDataSource()
    {
        var connectionString = PostgresConnectionString.Build(new ResolvedConnection("state", "postgres", _url, null, _password(), null));
        return NpgsqlDataSource.Create(connectionString);
    }

    private static string Reason(Exception ex) => ex is PostgresException pg ? pg.MessageText : ex.InnerException?.Message ?? ex.Message;
}
