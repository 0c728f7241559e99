using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Pipekit.Core.State;

/// <summary>
/// The SQLite state database (<c>pipekit.db</c>): WAL mode, a busy timeout, foreign keys and a memory map on every
/// connection. Repositories open connections here; nothing else touches the state database.
/// </summary>
public sealed class StateStore
{
    /// <summary>
    /// How much of the file SQLite reads through a memory map instead of <c>read()</c> calls: the server's readers
    /// then share the operating system's page cache instead of copying pages into each connection.
    /// </summary>
    private const long MemoryMapBytes = 256L * 1024 * 1024;

    private readonly string _connectionString;
    private readonly int _busyTimeoutMs;
    private readonly Migrator _migrator;

    // The native handles already configured. Pooled connections keep their handle, and with it their pragmas,
    // so each handle is configured once instead of on every open.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = new();

    public StateStore(string path, int busyTimeoutMs, Migrator migrator)
    {
        Path = System.IO.Path.GetFullPath(path);
        _busyTimeoutMs = busyTimeoutMs;
        _migrator = migrator;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = Math.Max(1, busyTimeoutMs / 1000),
        }.ToString();
    }

    public string Path { get; }

    public Migrator Migrator => _migrator;

    /// <summary>Opens a connection to a store that is expected to exist and be current.</summary>
    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            var handle = connection.Handle!;
            if (!_configured.TryGetValue(handle, out _))
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {_busyTimeoutMs}; PRAGMA synchronous = NORMAL; PRAGMA mmap_size = {MemoryMapBytes};",
                    cancellationToken: cancellationToken));
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

    /// <summary>Creates the file if needed, switches it to WAL and applies pending migrations (<c>pipekit init</c>).</summary>
    public async Task<IReadOnlyList<Migration>> InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        await using var connection = await OpenAsync(cancellationToken);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode = WAL;", cancellationToken: cancellationToken));
        return await _migrator.MigrateAsync(connection, Path, cancellationToken);
    }

    /// <summary>Where the schema stands, without changing anything; a missing file is version 0.</summary>
    public async Task<SchemaStatus> GetStatusAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(Path)) return new SchemaStatus(0, _migrator.LatestVersion, []);
        await using var connection = await OpenAsync(cancellationToken);
        return await _migrator.GetStatusAsync(connection, Path, cancellationToken);
    }

    /// <summary>
    /// Makes sure the store exists and is current before a command uses it; upgrading in place is what
    /// <c>pipekit init</c> would do, and refusing an edited or newer schema happens here too.
    /// </summary>
    public Task<IReadOnlyList<Migration>> EnsureReadyAsync(CancellationToken cancellationToken) => InitializeAsync(cancellationToken);
}
