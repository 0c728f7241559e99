using System.Data.Common;

namespace Pipekit.Core.State;

/// <summary>
/// What differs between the stores that can hold Pipekit's state: how to open and prepare one, how to read its
/// catalog, how to serialise migrations, and how its provider reports constraint violations. Everything else
/// (repository SQL, migrations written once) is shared.
/// </summary>
internal interface IStateDatabase : IAsyncDisposable, IDisposable
{
    StoreKind Kind { get; }

    /// <summary>Where the store is, for messages: a file path, or a URL without its password.</summary>
    string Location { get; }

    /// <summary>False when the store has never been created (a SQLite file that does not exist).</summary>
    bool Exists { get; }

    Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Creates what must exist before the first migration (the file's directory, WAL mode).</summary>
    Task PrepareAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The column names of a table in the store, empty when the table does not exist.</summary>
    Task<IReadOnlySet<string>> ColumnsAsync(DbConnection connection, string table, CancellationToken cancellationToken);

    /// <summary>The store's own tables (not the engine's catalog), in name order.</summary>
    Task<IReadOnlyList<string>> TablesAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken);

    /// <summary>Makes migrating processes take turns: called first in each migration's transaction.</summary>
    Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>True when <paramref name="exception"/> is a unique or primary-key violation on <paramref name="table"/>.</summary>
    bool IsUniqueViolation(DbException exception, string table);

    /// <summary>True when <paramref name="exception"/> is a foreign-key violation (a referenced row is missing or still referenced).</summary>
    bool IsForeignKeyViolation(DbException exception);

    /// <summary>True when <paramref name="exception"/> ended a transaction that may succeed if run again (a deadlock, a serialization failure, a busy file).</summary>
    bool IsRetryable(DbException exception);
}
