using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace Pipekit.Core.State;

/// <summary>The SQLite state file: WAL mode, a busy timeout, foreign keys and a memory map on every connection.</summary>
internal sealed class SqliteStateDatabase : IStateDatabase
{
    /// <summary>
    /// How much of the file SQLite reads through a memory map instead of <c>read()</c> calls: the server's readers
    /// then share the operating system's page cache instead of copying pages into each connection.
    /// </summary>
    private const long MemoryMapBytes = 256L * 1024 * 1024;

    private const int ConstraintUnique = 2067;
    private const int ConstraintPrimaryKey = 1555;
    private const int ConstraintForeignKey = 787;
    // RAISE(ABORT, ...) in a trigger. The store's triggers raise only to refuse a row that names a missing row
    // where no FOREIGN KEY can (a schedule's target), so this is a foreign-key violation by another route.
    private const int ConstraintTrigger = 1811;
    private const int Busy = 5;
    private const int Locked = 6;

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;

    // The native handles already configured. Pooled connections keep their handle, and with it their pragmas,
    // so each handle is configured once instead of on every open.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    public SqliteStateDatabase(string path, int busyTimeoutMs)
    {
        Location = Path.GetFullPath(path);
        _busyTimeoutMs = busyTimeoutMs;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Location,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        }.ToString();
    }

    public StoreKind Kind => StoreKind.Sqlite;

    public string Location { get; }

    public bool Exists => File.Exists(Location);

    public async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var handle = connection.Handle!;
            if (!_configured.TryGetValue(handle, out _))
            {
                await connection.ExecAsync(
                    $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = {MemoryMapBytes};",
                    null, null, cancellationToken);
                _configured.AddOrUpdate(handle, handle);
            }
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken) =>
        await connection.ExecAsync("PRAGMA journal_mode = WAL;", null, null, cancellationToken);

    public async Task<IReadOnlySet<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken cancellationToken) =>
        (await connection.RowsAsync("SELECT name FROM pragma_table_info(@table)", new StateArgs { { "table", table } }, r => r.GetString(0),
            null, cancellationToken)).ToHashSet(StringComparer.Ordinal);

    public async Task<IReadOnlyList<string>> TablesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken) =>
        await connection.RowsAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name", null,
            r => r.GetString(0), transaction, cancellationToken);

    // Microsoft.Data.Sqlite begins transactions with BEGIN IMMEDIATE, which already makes writers take turns.
    public Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    public bool IsUniqueViolation(DbException exception, string table) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintUnique or ConstraintPrimaryKey } sqlite
        && sqlite.Message.Contains($" {table}.", StringComparison.Ordinal);

    public bool IsForeignKeyViolation(DbException exception) =>
        exception is SqliteException { SqliteExtendedErrorCode: ConstraintForeignKey or ConstraintTrigger };

    public bool IsRetryable(DbException exception) =>
        exception is SqliteException { SqliteErrorCode: Busy or Locked };

    // Pooled SQLite connections belong to the provider's process-wide pool; there is nothing of this store's to close.
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    public void Dispose()
    {
    }
}
