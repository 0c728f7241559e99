using System.Data.Common;

namespace Pipekit.Core.State;

/// <summary>
/// Pipekit's state database: a SQLite file by default, or PostgreSQL. Repositories open connections here and
/// nothing else touches the state database; the provider behind it stays inside this folder, so repositories see
/// <see cref="DbConnection"/> and ask this class, not a provider exception type, what a failure was.
/// </summary>
public sealed class StateStore
{
    private readonly IStateDatabase _database;

    /// <summary>A SQLite store at <paramref name="path"/>.</summary>
    public StateStore(string path, int busyTimeoutMs, Migrator migrator)
        : this(new SqliteStateDatabase(path, busyTimeoutMs), migrator)
    {
    }

    internal StateStore(IStateDatabase database, Migrator migrator)
    {
        _database = database;
        Migrator = migrator;
    }

    public StoreKind Kind => _database.Kind;

    /// <summary>Where the store is, for messages: the SQLite file's path, or the PostgreSQL URL without a password.</summary>
    public string Location => _database.Location;

    public Migrator Migrator { get; }

    /// <summary>Opens a connection to a store that is expected to exist and be current.</summary>
    public Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => _database.OpenAsync(cancellationToken);

    /// <summary>Creates the store if needed and applies pending migrations (<c>pipekit init</c>); returns the ones applied.</summary>
    public async Task<IReadOnlyList<Migration>> InitializeAsync(CancellationToken cancellationToken)
    {
        if (_database.Kind == StoreKind.Sqlite && Path.GetDirectoryName(_database.Location) is { Length: > 0 } directory)
            Directory.CreateDirectory(directory);
        var existed = _database.Exists;
        await using var connection = await _database.OpenAsync(cancellationToken);
        await _database.PrepareAsync(connection, cancellationToken);
        if (existed && _database.Kind == StoreKind.Sqlite)
            await BackUpBeforeUpgradeAsync(connection, cancellationToken);
        return await Migrator.MigrateAsync(_database, connection, cancellationToken);
    }

    /// <summary>The copy the last upgrade made of this store before its first new migration, when there was one.</summary>
    public string? UpgradeBackupPath { get; private set; }

    // Upgrade safety: an existing SQLite store that is about to get a new migration is copied first.
    private async Task BackUpBeforeUpgradeAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var status = await Migrator.GetStatusAsync(_database, connection, cancellationToken);
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
}
