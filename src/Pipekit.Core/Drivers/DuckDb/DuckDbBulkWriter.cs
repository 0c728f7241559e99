using System.Data.Common;
using DuckDB.NET.Data;

namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>
/// Loads rows with DuckDB's Appender inside an explicit transaction, because the Appender alone commits as it
/// flushes: disposing before completion rolls back every appended row. When the target lists a subset or another
/// order of the table's columns, rows are appended to a temp table and inserted by name at completion, since the
/// Appender always fills every column in table order, and when a DECIMAL column is wider than System.Decimal or an
/// INTERVAL column may hold months, whose values go through the temp table as exact text.
/// </summary>
internal sealed class DuckDbBulkWriter : BulkWriter
{
    private const int ProgressEvery = 1000;
    private readonly DuckDBConnection _connection;
    private readonly DuckDbDialect _dialect;
    private DuckDBAppender? _appender;
    private string? _tempTable;
    private List<DuckDbWriteColumn>? _columns;

    public DuckDbBulkWriter(DuckDBConnection connection, BulkWriteTarget target, DuckDbDialect dialect)
        : base(connection, target)
    {
        _connection = connection;
        _dialect = dialect;
    }

    protected override async Task<long> WriteRowsAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        var columns = _columns ??= await StartAppendAsync(source.FieldCount, cancellationToken);
        if (source.FieldCount != columns.Count) throw BulkWriteErrors.ColumnCountMismatch(Target.Table, source.FieldCount, columns.Count);
        var appender = _appender!;

        long row = 0;
        while (await source.ReadAsync(cancellationToken))
        {
            row++;
            var appenderRow = appender.CreateRow();
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
        return row;
    }

    /// <summary>Resolves the destination columns and creates the appender (on a temp table for a column subset), once per writer.</summary>
    private async Task<List<DuckDbWriteColumn>> StartAppendAsync(int sourceColumns, CancellationToken cancellationToken)
    {
        var catalog = (DuckDbCatalog)_dialect.Catalog;
        var tableColumns = await WriteTargets.QueryAsync(_connection, Transaction, catalog.WriteColumns(Target.Table),
            r => new DuckDbWriteColumn(r.GetString(0), r.GetString(1)), cancellationToken);
        var columns = WriteTargets.Resolve(Target, tableColumns, c => c.Name, sourceColumns);

        if (columns.SequenceEqual(tableColumns) && !columns.Any(c => c.Staged))
        {
            _appender = _connection.CreateAppender(Target.Table.Schema ?? await CurrentSchemaAsync(cancellationToken), Target.Table.Table);
        }
        else
        {
            _tempTable = "pipekit_append_" + Guid.NewGuid().ToString("N")[..12];
            var select = string.Join(", ", columns.Select(c => c.Staged
                ? $"CAST({_dialect.QuoteIdentifier(c.Name)} AS VARCHAR) AS {_dialect.QuoteIdentifier(c.Name)}"
                : _dialect.QuoteIdentifier(c.Name)));
            await ExecuteAsync($"CREATE TEMP TABLE {_dialect.QuoteIdentifier(_tempTable)} AS SELECT {select} FROM {_dialect.QualifyTable(Target.Table)} LIMIT 0", cancellationToken);
            _appender = _connection.CreateAppender("temp", "main", _tempTable);
        }

        return columns;
    }

    protected override async Task FinishRowsAsync(CancellationToken cancellationToken)
    {
        try
        {
            // Closing flushes the last chunk; constraint violations (NOT NULL, keys) surface here.
            _appender!.Close();
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
        {
            throw new DriverException($"writing to {Target.Table} failed: {ex.Message}", ex);
        }
        if (_tempTable is not null)
        {
            // Wide decimals and intervals were appended as exact text; DuckDB casts them to the column's type here, digit for digit.
            var select = string.Join(", ", _columns!.Select(c => c.Staged
                ? $"CAST({_dialect.QuoteIdentifier(c.Name)} AS {c.DataType})"
                : _dialect.QuoteIdentifier(c.Name)));
            await ExecuteAsync($"INSERT INTO {_dialect.QualifyTable(Target.Table)} ({ColumnList(_columns!)}) SELECT {select} FROM temp.main.{_dialect.QuoteIdentifier(_tempTable)}", cancellationToken);
            await ExecuteAsync($"DROP TABLE temp.main.{_dialect.QuoteIdentifier(_tempTable)}", cancellationToken);
        }
    }

    /// <summary>Disposing flushes what was appended; inside the transaction that is rolled back next, so it is harmless.</summary>
    protected override ValueTask AbandonRowsAsync()
    {
        try { _appender?.Dispose(); }
        catch (Exception ex) when (ex is not OutOfMemoryException) { /* a failed flush only matters to a completed write */ }
        _appender = null;
        return ValueTask.CompletedTask;
    }

    /// <summary>A closed appender still holds native memory until it is disposed.</summary>
    protected override ValueTask ReleaseAsync() => AbandonRowsAsync();

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
        command.Transaction = Transaction;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
