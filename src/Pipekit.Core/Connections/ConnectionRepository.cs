using System.Data.Common;
using Dapper;
using Pipekit.Core.State;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Connections;

/// <summary>The <c>connection</c> table. Validation happens before anything reaches it (see <see cref="ConnectionValidator"/>).</summary>
public sealed class ConnectionRepository
{
    private const string Columns = """
        id AS Id, name AS Name, driver AS Driver, url AS Url, username AS Username, password AS Password,
        dialect AS Dialect, project AS Project, default_dest_connection_id AS DefaultDestConnectionId,
        default_dest_schema AS DefaultDestSchema, notes AS Notes, created_at AS CreatedAt, updated_at AS UpdatedAt
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
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM connection ORDER BY name", cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<ConnectionRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM connection WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRecord();
    }

    public async Task<ConnectionRecord?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM connection WHERE name = @name", new { name }, cancellationToken: cancellationToken));
        return row?.ToRecord();
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
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO connection (name, driver, url, username, password, dialect, project, default_dest_connection_id,
                                        default_dest_schema, notes, created_at, updated_at)
                VALUES (@Name, @Driver, @Url, @Username, @Password, @Dialect, @Project, @DefaultDestConnectionId,
                        @DefaultDestSchema, @Notes, @Now, @Now)
                RETURNING id
                """,
                Parameters(record, now), tx, cancellationToken: cancellationToken));
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
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM connection WHERE id = @id{_store.LockForUpdate}", new { id }, tx, cancellationToken: cancellationToken));
        if (row is null) return null;
        var record = change(row.ToRecord()) with { Id = id };
        await RequireDestinationAsync(c, tx, record, cancellationToken);
        try
        {
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE connection SET name = @Name, driver = @Driver, url = @Url, username = @Username, password = @Password,
                    dialect = @Dialect, project = @Project, default_dest_connection_id = @DefaultDestConnectionId,
                    default_dest_schema = @DefaultDestSchema, notes = @Notes, updated_at = @Now
                WHERE id = @Id
                """,
                Parameters(record, _time.GetUtcNow()), tx, cancellationToken: cancellationToken));
        }
        catch (DbException ex) when (_store.IsUniqueViolation(ex, "connection"))
        {
            throw new ConnectionNameTakenException(record.Name);
        }
        var saved = await c.QuerySingleAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM connection WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken));
        return saved.ToRecord();
    }

    // The default destination must exist when the row naming it is written; it is key-share locked (PostgreSQL) so a
    // concurrent delete waits for this write and then clears the reference (ON DELETE SET NULL).
    private async Task RequireDestinationAsync(DbConnection c, DbTransaction tx, ConnectionRecord record, CancellationToken cancellationToken)
    {
        if (record.DefaultDestConnectionId is not { } dest || dest == record.Id) return;
        var found = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            $"SELECT id FROM connection WHERE id = @dest{_store.LockKeys}", new { dest }, tx, cancellationToken: cancellationToken));
        if (found is null) throw new ValidationException("default_dest_connection_id", $"connection {dest} does not exist");
    }

    private async Task<bool> DeleteAsync(DbConnection c, DbTransaction? tx, long id, CancellationToken cancellationToken)
    {
        try
        {
            return await c.ExecuteAsync(new CommandDefinition("DELETE FROM connection WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken)) > 0;
        }
        catch (DbException ex) when (_store.IsForeignKeyViolation(ex))
        {
            throw new ConnectionInUseException(id);
        }
    }

    private static object Parameters(ConnectionRecord r, DateTimeOffset now) => new
    {
        r.Id, r.Name, r.Driver, r.Url, r.Username, r.Password, r.Dialect, r.Project, r.DefaultDestConnectionId,
        r.DefaultDestSchema, r.Notes, Now = StateClock.Format(now),
    };

    private sealed record Row(long Id, string Name, string Driver, string Url, string? Username, string? Password, string? Dialect,
        string? Project, long? DefaultDestConnectionId, string? DefaultDestSchema, string? Notes, string CreatedAt, string UpdatedAt)
    {
        public ConnectionRecord ToRecord() => new()
        {
            Id = Id, Name = Name, Driver = Driver, Url = Url, Username = Username, Password = Password, Dialect = Dialect,
            Project = Project, DefaultDestConnectionId = DefaultDestConnectionId, DefaultDestSchema = DefaultDestSchema,
            Notes = Notes, CreatedAt = StateClock.Parse(CreatedAt), UpdatedAt = StateClock.Parse(UpdatedAt),
        };
    }
}
