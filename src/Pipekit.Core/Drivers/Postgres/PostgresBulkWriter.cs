using System.Data.Common;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// Loads rows with binary COPY, each value encoded as the destination column's catalog type. The COPY is completed
/// before the commit; abandoning the writer cancels it, which discards everything it sent. A numeric column wider than
/// System.Decimal's 28 digits is copied as exact text into a temp copy of the table and cast into the table at the end.
/// </summary>
internal sealed partial class PostgresBulkWriter : BulkWriter
{
    private const int ProgressEvery = 1000;
    private readonly NpgsqlConnection _connection;
    private readonly PostgresDialect _dialect;
    private NpgsqlBinaryImporter? _importer;
    private List<PostgresWriteColumn>? _columns;
    private string? _stagingTable;

    public PostgresBulkWriter(NpgsqlConnection connection, BulkWriteTarget target, PostgresDialect dialect)
        : base(connection, target)
    {
        _connection = connection;
        _dialect = dialect;
    }

    protected override async Task<long> WriteRowsAsync(DbDataReader source, IProgress<long>? rowsWritten, CancellationToken cancellationToken)
    {
        var columns = _columns ??= await StartCopyAsync(source.FieldCount, cancellationToken);
        if (source.FieldCount != columns.Count) throw BulkWriteErrors.ColumnCountMismatch(Target.Table, source.FieldCount, columns.Count);
        var importer = _importer!;

        long row = 0;
        try
        {
            while (await source.ReadAsync(cancellationToken))
            {
                row++;
                await importer.StartRowAsync(cancellationToken);
                for (var i = 0; i < columns.Count; i++)
                {
                    // Read each value once, in order: the reader may be in SequentialAccess mode.
                    var value = source.GetValue(i);
                    if (value is DBNull)
                    {
                        await importer.WriteNullAsync(cancellationToken);
                        continue;
                    }
                    await WriteValueAsync(importer, columns[i], value, row, cancellationToken);
                }
                if (row % ProgressEvery == 0) rowsWritten?.Report(row);
            }
        }
        catch (PostgresException ex)
        {
            throw ServerError(ex, row);
        }
        rowsWritten?.Report(row);
        return row;
    }

    /// <summary>Resolves the destination columns and opens the COPY, once per writer.</summary>
    private async Task<List<PostgresWriteColumn>> StartCopyAsync(int sourceColumns, CancellationToken cancellationToken)
    {
        var catalog = (PostgresCatalog)_dialect.Catalog;
        var tableColumns = await WriteTargets.QueryAsync(_connection, Transaction, catalog.WriteColumns(Target.Table),
            r => new PostgresWriteColumn(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3)), cancellationToken);
        var columns = WriteTargets.Resolve(Target, tableColumns, c => c.Name, sourceColumns);

        var into = _dialect.QualifyTable(Target.Table);
        if (columns.Any(c => c.Wide))
        {
            // Wide numeric columns go through a text copy of the table; FinishRowsAsync casts them into the table.
            _stagingTable = "pipekit_copy_" + Guid.NewGuid().ToString("N")[..12];
            var select = string.Join(", ", columns.Select(c => c.Wide
                ? $"{_dialect.QuoteIdentifier(c.Name)}::text AS {_dialect.QuoteIdentifier(c.Name)}"
                : _dialect.QuoteIdentifier(c.Name)));
            await ExecuteAsync($"CREATE TEMP TABLE {_dialect.QuoteIdentifier(_stagingTable)} ON COMMIT DROP AS SELECT {select} FROM {into} WITH NO DATA", cancellationToken);
            into = _dialect.QuoteIdentifier(_stagingTable);
        }
        var copy = $"COPY {into} ({string.Join(", ", columns.Select(c => _dialect.QuoteIdentifier(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        _importer = await _connection.BeginBinaryImportAsync(copy, cancellationToken);
        // The source decides the pace; a slow query must not time the COPY out (zero means no timeout).
        _importer.Timeout = TimeSpan.Zero;
        return columns;
    }

    protected override async Task FinishRowsAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _importer!.CompleteAsync(cancellationToken);
            // The connection stays in COPY state until the importer is closed, so close it before committing.
            await _importer.DisposeAsync();
            _importer = null;
            if (_stagingTable is not null)
            {
                var names = string.Join(", ", _columns!.Select(c => _dialect.QuoteIdentifier(c.Name)));
                var select = string.Join(", ", _columns!.Select(c => c.Wide ? $"{_dialect.QuoteIdentifier(c.Name)}::{c.TypeText}" : _dialect.QuoteIdentifier(c.Name)));
                await ExecuteAsync($"INSERT INTO {_dialect.QualifyTable(Target.Table)} ({names}) SELECT {select} FROM {_dialect.QuoteIdentifier(_stagingTable)}", cancellationToken);
                await ExecuteAsync($"DROP TABLE {_dialect.QuoteIdentifier(_stagingTable)}", cancellationToken);
            }
        }
        catch (PostgresException ex)
        {
            throw ServerError(ex, null);
        }
    }

    /// <summary>Disposing an importer that was not completed cancels the COPY; nothing it sent is kept.</summary>
    protected override async ValueTask AbandonRowsAsync()
    {
        if (_importer is null) return;
        try { await _importer.DisposeAsync(); }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException or IOException) { /* the connection is gone; so is the COPY */ }
        _importer = null;
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, _connection, (NpgsqlTransaction)Transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task WriteValueAsync(NpgsqlBinaryImporter importer, PostgresWriteColumn column, object value, long row, CancellationToken cancellationToken)
    {
        try
        {
            await column.WriteAsync(importer, value, cancellationToken);
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
