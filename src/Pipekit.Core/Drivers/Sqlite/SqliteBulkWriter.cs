using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>
/// Loads rows with one prepared INSERT executed per row inside one transaction, SQLite's fastest load path.
/// Disposing before completion rolls the transaction back.
/// </summary>
internal sealed class SqliteBulkWriter : IBulkWriter
{
    private const int ProgressEvery = 1000;
    private readonly SqliteConnection _connection;
    private readonly BulkWriteTarget _target;
    private readonly SqliteDialect _dialect;
    private SqliteTransaction? _ownTransaction;
    private State _state = State.Ready;

    public SqliteBulkWriter(SqliteConnection connection, BulkWriteTarget target, SqliteDialect dialect)
    {
        _connection = connection;
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _dialect = dialect;
    }

    private enum State { Ready, Written, Completed, Failed, Disposed }

    public async Task<long> WriteAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_state != State.Ready) throw new InvalidOperationException($"a bulk writer writes once; this one is {_state}");
        _state = State.Failed;

        var tableColumns = await WriteTargets.QueryAsync(_connection, _target.Transaction, _dialect.Catalog.ListColumns(_target.Table),
            r => new SqliteWriteColumn(r.GetString(0), r.IsDBNull(1) ? "" : r.GetString(1)), cancellationToken);
        var columns = WriteTargets.Resolve(_target, tableColumns, c => c.Name, source.FieldCount);

        if (_target.Transaction is null) _ownTransaction = _connection.BeginTransaction();
        await using var insert = _connection.CreateCommand();
        insert.Transaction = (SqliteTransaction?)_target.Transaction ?? _ownTransaction;
        insert.CommandText =
            $"INSERT INTO {_dialect.QualifyTable(_target.Table)} ({string.Join(", ", columns.Select(c => _dialect.QuoteIdentifier(c.Name)))}) " +
            $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        var parameters = columns.Select((_, i) => insert.Parameters.Add(new SqliteParameter("@p" + i, null))).ToArray();
        insert.Prepare();

        long row = 0;
        while (await source.ReadAsync(cancellationToken))
        {
            row++;
            for (var i = 0; i < columns.Count; i++)
            {
                var value = source.GetValue(i);
                try
                {
                    parameters[i].Value = value is DBNull ? DBNull.Value : columns[i].Convert(value);
                }
                catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException or ArgumentException)
                {
                    throw BulkWriteErrors.CannotConvert(row, columns[i].Name, value, columns[i].DeclaredType, ex);
                }
            }
            try
            {
                await insert.ExecuteNonQueryAsync(cancellationToken);
            }
            catch (SqliteException ex)
            {
                throw BulkWriteErrors.Rejected(row, null, ex.Message, ex);
            }
            if (row % ProgressEvery == 0) rowsWritten?.Report(row);
        }
        rowsWritten?.Report(row);
        _state = State.Written;
        return row;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_state != State.Written) throw new InvalidOperationException($"complete after a successful write; this writer is {_state}");
        _state = State.Failed;
        if (_ownTransaction is not null) await _ownTransaction.CommitAsync(cancellationToken);
        _state = State.Completed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed) return;
        var completed = _state == State.Completed;
        _state = State.Disposed;
        if (_ownTransaction is not null)
        {
            if (!completed)
            {
                try { await _ownTransaction.RollbackAsync(); }
                catch (SqliteException) { /* SQLite already rolled back after the failure */ }
            }
            await _ownTransaction.DisposeAsync();
        }
    }
}
