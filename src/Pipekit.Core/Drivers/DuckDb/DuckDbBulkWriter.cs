using System.Data.Common;
using DuckDB.NET.Data;

namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>
/// Loads rows with DuckDB's Appender inside an explicit transaction, because the Appender alone commits as it
/// flushes: disposing before completion rolls back every appended row. When the target lists a subset or another
/// order of the table's columns, rows are appended to a temp table and inserted by name at completion, since the
/// Appender always fills every column in table order.
/// </summary>
internal sealed class DuckDbBulkWriter : IBulkWriter
{
    private const int ProgressEvery = 1000;
    private readonly DuckDBConnection _connection;
    private readonly BulkWriteTarget _target;
    private readonly DuckDbDialect _dialect;
    private DbTransaction? _ownTransaction;
    private DuckDBAppender? _appender;
    private string? _tempTable;
    private List<DuckDbWriteColumn>? _columns;
    private State _state = State.Ready;

    public DuckDbBulkWriter(DuckDBConnection connection, BulkWriteTarget target, DuckDbDialect dialect)
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

        var catalog = (DuckDbCatalog)_dialect.Catalog;
        var tableColumns = await WriteTargets.QueryAsync(_connection, _target.Transaction, catalog.WriteColumns(_target.Table),
            r => new DuckDbWriteColumn(r.GetString(0), r.GetString(1)), cancellationToken);
        var columns = _columns = WriteTargets.Resolve(_target, tableColumns, c => c.Name, source.FieldCount);

        if (_target.Transaction is null) _ownTransaction = await _connection.BeginTransactionAsync(cancellationToken);
        if (columns.SequenceEqual(tableColumns))
        {
            _appender = _connection.CreateAppender(_target.Table.Schema ?? await CurrentSchemaAsync(cancellationToken), _target.Table.Table);
        }
        else
        {
            _tempTable = "pipekit_append_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync($"CREATE TEMP TABLE {_dialect.QuoteIdentifier(_tempTable)} AS SELECT {ColumnList(columns)} FROM {_dialect.QualifyTable(_target.Table)} LIMIT 0", cancellationToken);
            _appender = _connection.CreateAppender("temp", "main", _tempTable);
        }

        long row = 0;
        while (await source.ReadAsync(cancellationToken))
        {
            row++;
            var appenderRow = _appender.CreateRow();
            for (var i = 0; i < columns.Count; i++)
            {
                var value = source.GetValue(i);
                if (value is DBNull)
                {
                    appenderRow.AppendNullValue();
                    continue;
                }
                try
                {
                    columns[i].Append(appenderRow, value);
                }
                catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
                {
                    throw BulkWriteErrors.CannotConvert(row, columns[i].Name, value, columns[i].DataType, ex);
                }
            }
            appenderRow.EndRow();
            if (row % ProgressEvery == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                rowsWritten?.Report(row);
            }
        }
        rowsWritten?.Report(row);
        _state = State.Written;
        return row;
    }

    public async Task CompleteAsync(CancellationToken cancellationToken)
    {
        if (_state != State.Written) throw new InvalidOperationException($"complete after a successful write; this writer is {_state}");
        _state = State.Failed;
        try
        {
            // Closing flushes the last chunk; constraint violations (NOT NULL, keys) surface here.
            _appender!.Close();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new DriverException($"writing to {_target.Table} failed: {ex.Message}", ex);
        }
        if (_tempTable is not null)
        {
            await ExecuteAsync($"INSERT INTO {_dialect.QualifyTable(_target.Table)} ({ColumnList(_columns!)}) SELECT * FROM temp.main.{_dialect.QuoteIdentifier(_tempTable)}", cancellationToken);
            await ExecuteAsync($"DROP TABLE temp.main.{_dialect.QuoteIdentifier(_tempTable)}", cancellationToken);
        }
        if (_ownTransaction is not null) await _ownTransaction.CommitAsync(cancellationToken);
        _state = State.Completed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed) return;
        var completed = _state == State.Completed;
        _state = State.Disposed;
        if (_appender is not null)
        {
            // Disposing flushes what was appended; inside the transaction that is rolled back next, so it is harmless.
            try { _appender.Dispose(); }
            catch (Exception ex) when (ex is not OutOfMemoryException) { /* a failed flush only matters to a completed write */ }
        }
        if (_ownTransaction is not null)
        {
            if (!completed)
            {
                try { await _ownTransaction.RollbackAsync(); }
                catch (Exception ex) when (ex is not OutOfMemoryException) { /* DuckDB aborts a failed transaction itself */ }
            }
            await _ownTransaction.DisposeAsync();
        }
    }

    private string ColumnList(IEnumerable<DuckDbWriteColumn> columns) => string.Join(", ", columns.Select(c => _dialect.QuoteIdentifier(c.Name)));

    private async Task<string> CurrentSchemaAsync(CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = "SELECT current_schema()";
        return (string)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _target.Transaction ?? _ownTransaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
