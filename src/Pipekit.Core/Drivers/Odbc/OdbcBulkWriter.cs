using System.Data;
using System.Data.Common;

namespace Pipekit.Core.Drivers.Odbc;

/// <summary>
/// Loads rows with parameterised multi-row INSERTs (<c>INSERT INTO t (a, b) VALUES (?, ?), (?, ?), …</c>)
/// inside one transaction. A batch holds as many rows as keep it under <see cref="MaxParameters"/>
/// markers, which every target engine accepts (SQLite allowed 999 before 3.32; DB2 and PostgreSQL
/// allow far more), and the full-size statement is prepared once and reused.
/// </summary>
internal sealed class OdbcBulkWriter : BulkWriter
{
    public const int MaxParameters = 2000;

    private readonly OdbcNativeConnection _connection;
    private readonly BulkWriteTarget _target;
    private readonly ISqlDialect _dialect;
    private readonly int _width;
    private OdbcNativeCommand? _fullBatch;
    private long _written;

    public OdbcBulkWriter(OdbcNativeConnection connection, BulkWriteTarget target, ISqlDialect dialect, int maxParameters = MaxParameters)
        : base(connection, target)
    {
        if (target.Columns.Count == 0)
            throw new DriverException($"a bulk write into {target.Table} needs at least one column");
        _connection = connection;
        _target = target;
        _dialect = dialect;
        _width = target.Columns.Count;
        RowsPerBatch = Math.Max(1, maxParameters / _width);
    }

    /// <summary>Rows sent per INSERT statement.</summary>
    public int RowsPerBatch { get; }

    /// <summary>The INSERT for <paramref name="rows"/> rows of the target's columns.</summary>
    public static string InsertSql(ISqlDialect dialect, BulkWriteTarget target, int rows)
    {
        var columns = string.Join(", ", target.Columns.Select(dialect.QuoteIdentifier));
        var tuple = "(" + string.Join(", ", Enumerable.Repeat("?", target.Columns.Count)) + ")";
        return $"INSERT INTO {dialect.QualifyTable(target.Table)} ({columns}) VALUES {string.Join(", ", Enumerable.Repeat(tuple, rows))}";
    }

    protected override async Task<long> WriteRowsAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        if (source.FieldCount != _width)
            throw new DriverException(
                $"the source has {source.FieldCount} columns but {_target.Table} is written with {_width} ({string.Join(", ", _target.Columns)})");
        var before = _written;
        var nullTypes = Enumerable.Range(0, _width).Select(i => DbTypeOf(source.GetFieldType(i))).ToArray();
        var batch = new object[RowsPerBatch * _width];
        var rows = 0;
        while (await source.ReadAsync(cancellationToken))
        {
            var offset = rows * _width;
            for (var column = 0; column < _width; column++)
            {
                var value = source.GetValue(column);
                if (value is not DBNull && OdbcParameterBuffer.Unsupported(value) is { } reason)
                    throw new DriverException($"row {_written + rows + 1}, column \"{_target.Columns[column]}\": {reason}");
                batch[offset + column] = value;
            }
            if (++rows < RowsPerBatch) continue;
            await FlushAsync(batch, rows, nullTypes, cancellationToken);
            rows = 0;
            rowsWritten?.Report(_written);
        }
        if (rows > 0)
        {
            await FlushAsync(batch, rows, nullTypes, cancellationToken);
            rowsWritten?.Report(_written);
        }
        return _written - before;
    }

    /// <summary>ODBC has one transaction per connection, so the writer cannot start its own inside the caller's.</summary>
    protected override Task<DbTransaction> BeginTransactionAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        if (_connection.CurrentTransaction is not null)
            throw new DriverException("the ODBC bulk writer runs its own transaction, but the connection already has one open; commit or roll it back first");
        return Task.FromResult<DbTransaction>(_connection.BeginTransaction());
    }

    protected override ValueTask ReleaseAsync()
    {
        _fullBatch?.Dispose();
        _fullBatch = null;
        return ValueTask.CompletedTask;
    }

    private async Task FlushAsync(object[] batch, int rows, DbType[] nullTypes, CancellationToken cancellationToken)
    {
        var full = rows == RowsPerBatch;
        var command = full ? _fullBatch ??= CreateCommand(rows) : CreateCommand(rows);
        try
        {
            SetValues(command, batch, 0, rows, nullTypes);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (OdbcNativeException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Diagnose(e, batch, rows, nullTypes, cancellationToken);
        }
        finally
        {
            if (!full) command.Dispose();
        }
        _written += rows;
    }

    /// <summary>
    /// A multi-row INSERT fails as a whole, and drivers rarely say which row. The transaction is
    /// doomed anyway (PostgreSQL has already aborted it), so it is rolled back and the failed batch
    /// replayed row by row in a throwaway transaction to find the first row that fails on its own.
    /// </summary>
    private DriverException Diagnose(OdbcNativeException batchError, object[] batch, int rows, DbType[] nullTypes, CancellationToken cancellationToken)
    {
        var first = _written + 1;
        RollBackForReplay();
        try
        {
            using var transaction = _connection.BeginTransaction();
            using var single = CreateCommand(1);
            for (var row = 0; row < rows; row++)
            {
                SetValues(single, batch, row, 1, nullTypes);
                try
                {
                    single.ExecuteNonQueryAsync(cancellationToken).GetAwaiter().GetResult();
                }
                catch (OdbcNativeException rowError)
                {
                    return RowError(first + row, rowError);
                }
            }
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // the replay itself could not run; the batch's own error still says what went wrong
        }
        return new DriverException($"rows {first}–{first + rows - 1}: {batchError.Message}", batchError);
    }

    private DriverException RowError(long rowNumber, OdbcNativeException error)
    {
        // The column the message names comes first: some drivers (SQLite's) fill SQL_DIAG_COLUMN_NUMBER with a number
        // that is not the failing column's.
        var column = ColumnNamedIn(error.Message) ?? (error.ColumnNumber is { } n && n >= 1 && n <= _width ? _target.Columns[n - 1] : null);
        var where = column is null ? $"row {rowNumber}" : $"row {rowNumber}, column \"{column}\"";
        return new DriverException($"{where}: {error.Message}", error);
    }

    /// <summary>
    /// The one target column a driver message names as <c>"amount"</c> or <c>t.amount</c> (PostgreSQL's
    /// and SQLite's NOT NULL errors do), or null when none or several are named.
    /// </summary>
    private string? ColumnNamedIn(string message)
    {
        var named = _target.Columns
            .Where(c => message.Contains($"\"{c}\"", StringComparison.OrdinalIgnoreCase)
                        || message.Contains($"{_target.Table.Table}.{c}", StringComparison.OrdinalIgnoreCase))
            .ToList();
        return named.Count == 1 ? named[0] : null;
    }

    private OdbcNativeCommand CreateCommand(int rows)
    {
        var command = new OdbcNativeCommand(InsertSql(_dialect, _target, rows), _connection);
        for (var i = 0; i < rows * _width; i++) command.Parameters.AddWithValue(null);
        command.Prepare();
        return command;
    }

    private void SetValues(OdbcNativeCommand command, object[] batch, int firstRow, int rows, DbType[] nullTypes)
    {
        var parameters = command.Parameters.Items;
        var start = firstRow * _width;
        for (var i = 0; i < rows * _width; i++)
        {
            var value = batch[start + i];
            var parameter = parameters[i];
            parameter.Value = value;
            if (value is DBNull) parameter.DbType = nullTypes[i % _width];
            else parameter.ResetDbType();
        }
    }

    /// <summary>Ends the writer's doomed transaction early so the replay can run in one of its own.</summary>
    private void RollBackForReplay()
    {
        try
        {
            Transaction.Rollback();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // a connection that broke mid-write has nothing left to roll back
        }
    }

    private static DbType DbTypeOf(Type type) => type switch
    {
        _ when type == typeof(bool) => DbType.Boolean,
        _ when type == typeof(byte) || type == typeof(sbyte) || type == typeof(short) => DbType.Int16,
        _ when type == typeof(ushort) || type == typeof(int) => DbType.Int32,
        _ when type == typeof(uint) || type == typeof(long) => DbType.Int64,
        _ when type == typeof(ulong) || type == typeof(decimal) => DbType.Decimal,
        _ when type == typeof(float) => DbType.Single,
        _ when type == typeof(double) => DbType.Double,
        _ when type == typeof(DateTime) || type == typeof(DateTimeOffset) => DbType.DateTime,
        _ when type == typeof(DateOnly) => DbType.Date,
        _ when type == typeof(TimeOnly) || type == typeof(TimeSpan) => DbType.Time,
        _ when type == typeof(byte[]) => DbType.Binary,
        _ => DbType.String,
    };
}
