using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// Loads rows with binary COPY, each value encoded as the destination column's catalog type.
/// States: <c>Ready → Written → Completed</c>, or <c>Failed</c>; disposing before completion cancels the COPY
/// and rolls back the writer's own transaction.
/// </summary>
internal sealed partial class PostgresBulkWriter : IBulkWriter
{
    private const int ProgressEvery = 1000;
    private readonly NpgsqlConnection _connection;
    private readonly BulkWriteTarget _target;
    private readonly PostgresDialect _dialect;
    private NpgsqlTransaction? _ownTransaction;
    private NpgsqlBinaryImporter? _importer;
    private List<PostgresWriteColumn>? _columns;
    private State _state = State.Ready;

    public PostgresBulkWriter(NpgsqlConnection connection, BulkWriteTarget target, PostgresDialect dialect)
    {
        _connection = connection;
        _target = target ?? throw new ArgumentNullException(nameof(target));
        _dialect = dialect;
    }

    private enum State { Ready, Writing, Written, Completed, Failed, Disposed }

    public async Task<long> WriteAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (_state != State.Ready) throw new InvalidOperationException($"a bulk writer writes once; this one is {_state}");
        _state = State.Failed;

        var catalog = (PostgresCatalog)_dialect.Catalog;
        var tableColumns = await WriteTargets.QueryAsync(_connection, _target.Transaction, catalog.WriteColumns(_target.Table),
            r => new PostgresWriteColumn(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3)), cancellationToken);
        var columns = _columns = WriteTargets.Resolve(_target, tableColumns, c => c.Name, source.FieldCount);

        if (_target.Transaction is null) _ownTransaction = await _connection.BeginTransactionAsync(cancellationToken);
        var copy = $"COPY {_dialect.QualifyTable(_target.Table)} ({string.Join(", ", columns.Select(c => _dialect.QuoteIdentifier(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        _importer = await _connection.BeginBinaryImportAsync(copy, cancellationToken);
        // The source decides the pace; a slow query must not time the COPY out (zero means no timeout).
        _importer.Timeout = TimeSpan.Zero;

        long row = 0;
        try
        {
            while (await source.ReadAsync(cancellationToken))
            {
                row++;
                await _importer.StartRowAsync(cancellationToken);
                for (var i = 0; i < columns.Count; i++)
                {
                    // Read each value once, in order: the reader may be in SequentialAccess mode.
                    var value = source.GetValue(i);
                    if (value is DBNull)
                    {
                        await _importer.WriteNullAsync(cancellationToken);
                        continue;
                    }
                    await WriteValueAsync(columns[i], value, row, cancellationToken);
                }
                if (row % ProgressEvery == 0) rowsWritten?.Report(row);
            }
        }
        catch (PostgresException ex)
        {
            throw ServerError(ex, row);
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
            await _importer!.CompleteAsync(cancellationToken);
            // The connection stays in COPY state until the importer is closed, so close it before committing.
            await _importer.DisposeAsync();
            _importer = null;
        }
        catch (PostgresException ex)
        {
            throw ServerError(ex, null);
        }
        if (_ownTransaction is not null) await _ownTransaction.CommitAsync(cancellationToken);
        _state = State.Completed;
    }

    public async ValueTask DisposeAsync()
    {
        if (_state == State.Disposed) return;
        var completed = _state == State.Completed;
        _state = State.Disposed;
        // Disposing an importer that was not completed cancels the COPY; nothing it sent is kept.
        if (_importer is not null)
        {
            try { await _importer.DisposeAsync(); }
            catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException) { /* the connection is gone; so is the COPY */ }
        }
        if (_ownTransaction is not null)
        {
            if (!completed)
            {
                try { await _ownTransaction.RollbackAsync(); }
                catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException) { /* a broken connection rolls back by itself */ }
            }
            await _ownTransaction.DisposeAsync();
        }
    }

    private async Task WriteValueAsync(PostgresWriteColumn column, object value, long row, CancellationToken cancellationToken)
    {
        try
        {
            await column.WriteAsync(_importer!, value, cancellationToken);
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or InvalidCastException or ArgumentException or NotSupportedException)
        {
            throw BulkWriteErrors.CannotConvert(row, column.Name, value, column.TypeText, ex);
        }
    }

    /// <summary>
    /// The server names the failing COPY row and column in the error's context ("COPY t, line 1523, column amount");
    /// binary COPY counts one line per row, so that is the row number.
    /// </summary>
    internal static DriverException ServerError(PostgresException ex, long? currentRow)
    {
        var match = ex.Where is null ? Match.Empty : CopyContext().Match(ex.Where);
        if (match.Success)
        {
            var row = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
            var column = match.Groups[2].Success ? match.Groups[2].Value : null;
            return BulkWriteErrors.Rejected(row, column, ex.MessageText, ex);
        }
        return currentRow is { } r ? BulkWriteErrors.Rejected(r, null, ex.MessageText, ex) : new DriverException(ex.MessageText, ex);
    }

    [GeneratedRegex(@"line (\d+)(?:, column ([^:]+))?")]
    private static partial Regex CopyContext();
}
