using System.Data.Common;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;

namespace Pipekit.Core.State;

/// <summary>
/// Pipekit's state database: a SQLite file by default, or PostgreSQL. Repositories open connections here and
/// nothing else touches the state database; the provider behind it stays inside this folder, so repositories see
/// <see cref="DbConnection"/> and ask this class, not a provider exception type, what a failure was.
/// </summary>
public sealed class StateStore : IAsyncDisposable, IDisposable
{
    private readonly IStateDatabase _database;

    /// <summary>A SQLite store at <paramref name="path"/>.</summary>
    public StateStore(string path, int busyTimeoutMs, Migrator migrator)
        : this(new SqliteStateDatabase(path, busyTimeoutMs), migrator)
    {
    }

    /// <summary>
    /// The store <paramref name="environment"/> names: PostgreSQL when <c>[state] url</c> or <c>PIPEKIT_STATE_URL</c> is
    /// set (its <c>$NAME</c> password resolved through <paramref name="secrets"/> on first use and registered with
    /// <paramref name="redactor"/>), else the SQLite file.
    /// </summary>
    public static StateStore For(PipekitEnvironment environment, SecretStore secrets, Redactor redactor, Migrator migrator)
    {
        var state = environment.Config.State;
        if (environment.StateKind == StoreKind.Sqlite) return new StateStore(environment.StatePath, state.BusyTimeoutMs, migrator);
        return new StateStore(new PostgresStateDatabase(state.Url!, () => ResolvePassword(state.Password, secrets, redactor)), migrator);
    }

    /// <summary>A PostgreSQL store at <paramref name="url"/> (no password in it), with an optional <c>$NAME</c> password reference.</summary>
    public static StateStore ForPostgres(string url, string? passwordReference, SecretStore secrets, Redactor redactor, Migrator migrator)
    {
        if (StateUrl.Validate(url) is { } error) throw new StateException($"the PostgreSQL state store URL {error}");
        if (passwordReference is not null && StateUrl.ValidatePassword(passwordReference) is { } passwordError)
            throw new StateException($"the state store password {passwordError}");
        return new StateStore(new PostgresStateDatabase(url, () => ResolvePassword(passwordReference, secrets, redactor)), migrator);
    }

    private static string? ResolvePassword(string? reference, SecretStore secrets, Redactor redactor)
    {
        if (string.IsNullOrEmpty(reference)) return null;
        var password = secrets.ResolveReference(null, reference);
        redactor.Register(password);
        return password;
    }

    internal StateStore(IStateDatabase database, Migrator migrator)
    {
        _database = database;
        Migrator = migrator;
    }

    public StoreKind Kind => _database.Kind;

    internal IStateDatabase Database => _database;

    /// <summary>Where the store is, for messages: the SQLite file's path, or the PostgreSQL URL without a password.</summary>
    public string Location => _database.Location;

    public Migrator Migrator { get; }

    /// <summary>The PostgreSQL store behind this one, for <c>pg_dump</c>; null for SQLite.</summary>
    internal PostgresStateDatabase? Postgres => _database as PostgresStateDatabase;

    /// <summary>Opens a connection to a store that is expected to exist and be current.</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => _database.OpenAsync(cancellationToken);

    /// <summary>Opens a connection and begins one transaction that several repositories can write through.</summary>
    public Task<StateTransaction> BeginAsync(CancellationToken cancellationToken) => StateTransaction.BeginAsync(this, cancellationToken);

    /// <summary>Creates the store if needed and applies pending migrations (<c>pipekit init</c>); returns the ones applied.</summary>
    public async Task<IReadOnlyList<Migration>> InitializeAsync(CancellationToken cancellationToken)
    {
        if (_database.Kind == StoreKind.Sqlite && Path.GetDirectoryName(_database.Location) is { Length: > 0 } directory)
            Directory.CreateDirectory(directory);
        var existed = _database.Exists;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await _database.PrepareAsync(connection, cancellationToken);
        if (existed)
        {
            // The common case for every command: a current store. One read of schema_version (which also refuses an
            // edited or newer schema) and no write transaction: a cron job's start-up pays for nothing more.
            var status = await Migrator.GetStatusAsync(_database, connection, cancellationToken);
            if (status.IsCurrent) return [];
            if (_database.Kind == StoreKind.Sqlite) await BackUpBeforeUpgradeAsync(status, cancellationToken);
        }
        return await Migrator.MigrateAsync(_database, connection, cancellationToken);
    }

    /// <summary>The copy the last upgrade made of this store before its first new migration, when there was one.</summary>
    public string? UpgradeBackupPath { get; private set; }

    // Upgrade safety: an existing SQLite store that is about to get a new migration is copied first.
    private async Task BackUpBeforeUpgradeAsync(SchemaStatus status, CancellationToken cancellationToken)
    {
        if (status.IsCurrent || (!status.Legacy && status.Applied.Values.All(v => v == 0))) return;
        UpgradeBackupPath = await new StateBackup(this, Migrator.Time).BackUpBeforeUpgradeAsync(status, cancellationToken);
    }

    /// <summary>Where the schema stands, without changing anything; a store never created has every migration pending.</summary>
    public async Task<SchemaStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        if (!_database.Exists) return new SchemaStatus(Migrator.Parts.ToDictionary(p => p, _ => 0), Migrator.All);
        await using var connection = await _database.OpenAsync(cancellationToken);
        return await Migrator.GetStatusAsync(_database, connection, cancellationToken);
    }

    /// <summary>False when the store has never been created.</summary>
    public bool Exists => _database.Exists;

    /// <summary>
    /// Makes sure the store exists and is current before a command uses it; upgrading in place is what
    /// <c>pipekit init</c> would do, and refusing an edited or newer schema happens here too.
    /// </summary>
    public Task<IReadOnlyList<Migration>> EnsureReadyAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);

    /// <summary>True when <paramref name="exception"/> says a row would duplicate a unique key of <paramref name="table"/>.</summary>
    public bool IsUniqueViolation(DbException exception, string table) => _database.IsUniqueViolation(exception, table);

    /// <summary>True when <paramref name="exception"/> says a referenced row is missing, or a row is still referenced.</summary>
    public bool IsForeignKeyViolation(DbException exception) => _database.IsForeignKeyViolation(exception);

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it: the way to read a row, change it and write
    /// it back without losing a concurrent change. On SQLite the transaction begins with <c>BEGIN IMMEDIATE</c>, so
    /// writers take turns from the first read; on PostgreSQL the work locks the rows it reads
    /// (<see cref="LockForUpdate"/>, <see cref="LockKeys"/>). A deadlock or serialization failure rolls back and
    /// runs the work again from the start, a few times, so <paramref name="work"/> must do nothing outside the store.
    /// </summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        RetryTransientAsync(async () =>
        {
            await using var connection = await _database.OpenAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }, cancellationToken);

    /// <summary>
    /// Runs <paramref name="attempt"/> again from the start, a few times with a short random pause, when the store ended
    /// its transaction with a deadlock, a serialization failure or a busy file: for work that opens its own
    /// <see cref="BeginAsync">transaction</see> and reads what it plans from inside the attempt.
    /// </summary>
    public async Task<T> RetryTransientAsync<T>(Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var tries = 1; ; tries++)
        {
            try
            {
                return await attempt();
            }
            catch (DbException ex) when (tries < MaxWriteAttempts && _database.IsRetryable(ex))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10 * tries * Random.Shared.Next(1, 4)), cancellationToken);
            }
        }
    }

    private const int MaxWriteAttempts = 5;

    /// <summary>
    /// Appended to a <c>SELECT</c> of the row a write transaction is about to change: on PostgreSQL it locks the row
    /// until commit (without blocking the key-share locks that foreign-key checks take), so a concurrent change waits
    /// and then reads this one's result. Empty on SQLite, whose write transactions already exclude each other.
    /// </summary>
    public string LockForUpdate => _database.Kind == StoreKind.Postgres ? " FOR NO KEY UPDATE" : "";

    /// <summary>
    /// Appended to a <c>SELECT</c> of rows a write is about to reference: on PostgreSQL it keeps them from being
    /// deleted until commit, so what was checked to exist still exists when the referencing row is written.
    /// </summary>
    public string LockKeys => _database.Kind == StoreKind.Postgres ? " FOR KEY SHARE" : "";

    /// <summary>
    /// <c>column IN @parameter</c> for a list parameter. Dapper expands a list into one parameter per item for SQLite
    /// but passes it to PostgreSQL as one array, which <c>IN</c> does not take; <c>= ANY</c> does.
    /// </summary>
    public string In(string column, string parameter) =>
        _database.Kind == StoreKind.Postgres ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    /// <summary>Closes the store's pooled connections (PostgreSQL); SQLite's pool is the provider's.</summary>
    public ValueTask DisposeAsync() => _database.DisposeAsync();

    /// <inheritdoc cref="DisposeAsync"/>
    public void Dispose() => _database.Dispose();
}
