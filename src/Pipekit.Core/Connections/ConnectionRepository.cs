using System.Data.Common;
using Pipekit.Core.State;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Connections;

/// <summary>The <c>connection</c> table. Validation happens before anything reaches it (see <see cref="ConnectionValidator"/>).</summary>
public sealed class ConnectionRepository
{
    // Read by ordinal in Read below: keep the two in the same order.
    private const string Columns = """
        id, name, driver, url, username, password, dialect, project, default_dest_connection_id, default_dest_schema, notes,
        created_at, updated_at
        """;

    private readonly StateStore _store;
    private readonly TimeProvider _time;

    public ConnectionRepository(StateStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public async Task<IReadOnlyList<ConnectionRecord>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.RowsAsync($"SELECT {Columns} FROM connection ORDER BY name", null, Read, null, cancellationToken);
    }

    public async Task<ConnectionRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.RowAsync($"SELECT {Columns} FROM connection WHERE id = @id", new StateArgs { { "id", id } }, Read, null, cancellationToken);
    }

    public async Task<ConnectionRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.RowAsync($"SELECT {Columns} FROM connection WHERE name = @name", new StateArgs { { "name", name } }, Read, null, cancellationToken);
    }

    /// <summary>
    /// Inserts a connection and returns it with its id; a taken name is a <see cref="ConnectionNameTakenException"/>, also
    /// when two creates race. Its default destination is checked inside the write.
    /// </summary>
    public async Task<ConnectionRecord> AddAsync(ConnectionRecord record, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        return await _store.WriteAsync((c, tx) => AddAsync(c, tx, record, now, cancellationToken), cancellationToken);
    }

    /// <inheritdoc cref="AddAsync(ConnectionRecord, CancellationToken)"/>
    public Task<ConnectionRecord> AddAsync(ConnectionRecord record, StateTransaction transaction, CancellationToken cancellationToken) =>
        AddAsync(transaction.Connection, transaction.Transaction, record, _time.GetUtcNow(), cancellationToken);

    /// <summary>Replaces every field of connection <c>record.Id</c>; false when it does not exist.</summary>
    public async Task<bool> UpdateAsync(ConnectionRecord record, CancellationToken cancellationToken) =>
        await UpdateAsync(record.Id, _ => record, cancellationToken) is not null;

    /// <inheritdoc cref="UpdateAsync(ConnectionRecord, CancellationToken)"/>
    public async Task<bool> UpdateAsync(ConnectionRecord record, StateTransaction transaction, CancellationToken cancellationToken) =>
        await UpdateAsync(transaction.Connection, transaction.Transaction, record.Id, _ => record, cancellationToken) is not null;

    /// <summary>
    /// Reads connection <paramref name="id"/>, applies <paramref name="change"/> (which validates) and writes the result
    /// in one transaction holding the row, so two concurrent changes of different fields both land. Null when it does
    /// not exist.
    /// </summary>
    public async Task<ConnectionRecord?> UpdateAsync(long id, Func<ConnectionRecord, ConnectionRecord> change, CancellationToken cancellationToken) =>
        await _store.WriteAsync((c, tx) => UpdateAsync(c, tx, id, change, cancellationToken), cancellationToken);

    /// <summary>Deletes a connection; an <see cref="ConnectionInUseException"/> when something still refers to it.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await DeleteAsync(c, null, id, cancellationToken);
    }

    /// <inheritdoc cref="DeleteAsync(long, CancellationToken)"/>
    public Task<bool> DeleteAsync(long id, StateTransaction transaction, CancellationToken cancellationToken) =>
        DeleteAsync(transaction.Connection, transaction.Transaction, id, cancellationToken);

    private async Task<ConnectionRecord> AddAsync(DbConnection c, DbTransaction tx, ConnectionRecord record, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        await RequireDestinationAsync(c, tx, record, cancellationToken);
        try
        {
            var id = await c.Int64Async(
                """
                INSERT INTO connection (name, driver, url, username, password, dialect, project, default_dest_connection_id,
                                        default_dest_schema, notes, created_at, updated_at)
                VALUES (@Name, @Driver, @Url, @Username, @Password, @Dialect, @Project, @DefaultDestConnectionId,
                        @DefaultDestSchema, @Notes, @Now, @Now)
                RETURNING id
                """,
                Parameters(record, now), tx, cancellationToken) ?? throw new InvalidOperationException("INSERT … RETURNING id returned no row");
            return record with { Id = id, CreatedAt = now, UpdatedAt = now };
        }
        catch (DbException ex) when (_store.IsUniqueViolation(ex, "connection"))
        {
            throw new ConnectionNameTakenException(record.Name);
        }
    }

    private async Task<ConnectionRecord?> UpdateAsync(DbConnection c, DbTransaction tx, long id, Func<ConnectionRecord, ConnectionRecord> change,
        CancellationToken cancellationToken)
    {
        var current = await c.RowAsync($"SELECT {Columns} FROM connection WHERE id = @id{_store.LockForUpdate}", new StateArgs { { "id", id } },
            Read, tx, cancellationToken);
        if (current is null) return null;
        var record = change(current) with { Id = id };
        await RequireDestinationAsync(c, tx, record, cancellationToken);
        try
        {
            await c.ExecAsync(
                """
                UPDATE connection SET name = @Name, driver = @Driver, url = @Url, username = @Username, password = @Password,
                    dialect = @Dialect, project = @Project, default_dest_connection_id = @DefaultDestConnectionId,
                    default_dest_schema = @DefaultDestSchema, notes = @Notes, updated_at = @Now
                WHERE id = @Id
                """,
                Parameters(record, _time.GetUtcNow()), tx, cancellationToken);
        }
        catch (DbException ex) when (_store.IsUniqueViolation(ex, "connection"))
        {
            throw new ConnectionNameTakenException(record.Name);
        }
        return await c.RowAsync($"SELECT {Columns} FROM connection WHERE id = @id", new StateArgs { { "id", id } }, Read, tx, cancellationToken)
            ?? throw new InvalidOperationException($"connection {id} vanished inside its own write transaction");
    }

    // The default destination must exist when the row naming it is written; it is key-share locked (PostgreSQL) so a
    // concurrent delete waits for this write and then clears the reference (ON DELETE SET NULL).
    private async Task RequireDestinationAsync(DbConnection c, DbTransaction tx, ConnectionRecord record, CancellationToken cancellationToken)
    {
        if (record.DefaultDestConnectionId is not { } dest || dest == record.Id) return;
        var found = await c.Int64Async($"SELECT id FROM connection WHERE id = @dest{_store.LockKeys}", new StateArgs { { "dest", dest } }, tx, cancellationToken);
        if (found is null) throw new ValidationException("default_dest_connection_id", $"connection {dest} does not exist");
    }

    private async Task<bool> DeleteAsync(DbConnection c, DbTransaction? tx, long id, CancellationToken cancellationToken)
    {
        try
        {
            return await c.ExecAsync("DELETE FROM connection WHERE id = @id", new StateArgs { { "id", id } }, tx, cancellationToken) > 0;
        }
        catch (DbException ex) when (_store.IsForeignKeyViolation(ex))
        {
            throw new ConnectionInUseException(id);
        }
    }

    // Id only for the UPDATE (the INSERT does not name it); every other name appears in both statements.
    private static StateArgs Parameters(ConnectionRecord r, DateTimeOffset now) => new()
    {
        { "Id", r.Id }, { "Name", r.Name }, { "Driver", r.Driver }, { "Url", r.Url }, { "Username", r.Username }, { "Password", r.Password },
        { "Dialect", r.Dialect }, { "Project", r.Project }, { "DefaultDestConnectionId", r.DefaultDestConnectionId },
        { "DefaultDestSchema", r.DefaultDestSchema }, { "Notes", r.Notes }, { "Now", StateClock.Format(now) },
    };

    private static ConnectionRecord Read(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), Name = r.GetString(1), Driver = r.GetString(2), Url = r.GetString(3), Username = r.TextOrNull(4),
        Password = r.TextOrNull(5), Dialect = r.TextOrNull(6), Project = r.TextOrNull(7), DefaultDestConnectionId = r.Int64OrNull(8),
        DefaultDestSchema = r.TextOrNull(9), Notes = r.TextOrNull(10), CreatedAt = StateClock.Parse(r.GetString(11)),
        UpdatedAt = StateClock.Parse(r.GetString(12)),
    };
}
