using System.Data.Common;
using System.Text.RegularExpressions;
using MySqlConnector;

namespace Pipekit.Core.Drivers.MySql;

/// <summary>
/// Streams rows into a MySQL table inside one transaction: LOAD DATA LOCAL through MySqlBulkCopy, or, when
/// the client or server does not allow that, multi-row parameterised INSERTs.
/// </summary>
internal sealed partial class MySqlBulkWriter : BulkWriter
{
    // MySQL caps one prepared statement at 65,535 placeholders. MySqlConnector substitutes parameters on
    // the client, but keeping under the cap means the INSERT stays valid if server-side prepare is turned on.
    private const int MaxParameters = 65_535;

    private readonly MySqlConnection _connection;
    private readonly MySqlDialect _dialect;
    private readonly MySqlBulkWriterOptions _options;

    public MySqlBulkWriter(MySqlConnection connection, BulkWriteTarget target, MySqlDialect dialect, MySqlBulkWriterOptions options)
        : base(connection, target)
    {
        if (target.Columns.Count == 0) throw new ArgumentException($"no columns given for {target.Table}", nameof(target));
        Table = dialect.QualifyTable(target.Table);
        _connection = connection;
        _dialect = dialect;
        _options = options;
    }

    /// <summary>The path the last write took: <see cref="MySqlBulkMode.LoadData"/> or <see cref="MySqlBulkMode.Insert"/>.</summary>
    public MySqlBulkMode? PathTaken { get; private set; }

    /// <summary>The destination as the dialect quotes it.</summary>
    private string Table { get; }

    /// <summary>Per target column: DATETIME or TIMESTAMP, which take zoned text as its UTC wall clock.</summary>
    private bool[] _wallClock = [];

    private async Task<bool[]> WallClockColumnsAsync(CancellationToken ct)
    {
        var types = await WriteTargets.QueryAsync(_connection, Transaction, _dialect.Catalog.ListColumns(Target.Table),
            r => (Name: r.GetString(0), Type: r.GetString(1)), ct);
        // MySQL column names compare case-insensitively; a column the table lacks is left to the server's own error.
        return Target.Columns
            .Select(c => types.FirstOrDefault(t => string.Equals(t.Name, c, StringComparison.OrdinalIgnoreCase)).Type is { } type
                         && (type.StartsWith("datetime", StringComparison.OrdinalIgnoreCase) || type.StartsWith("timestamp", StringComparison.OrdinalIgnoreCase)))
            .ToArray();
    }

    protected override async Task<long> WriteRowsAsync(DbDataReader source, IProgress<long>? progress, CancellationToken ct)
    {
        WriteTargets.RequireColumnCount(source, Target, Table);
        _wallClock = await WallClockColumnsAsync(ct);
        switch (_options.Mode)
        {
            case MySqlBulkMode.Insert:
                return await InsertAsync(source, progress, ct);
            case MySqlBulkMode.LoadData:
                try
                {
                    return await LoadDataAsync(source, progress, ct);
                }
                catch (MySqlException e) when (IsLocalInfileRefused(e))
                {
                    throw new DriverException($"the server refuses LOAD DATA LOCAL into {Table} ({e.Message}); set local_infile=1 on the server or use the INSERT path", e);
                }
        }

        if (!new MySqlConnectionStringBuilder(_connection.ConnectionString).AllowLoadLocalInfile)
            return await InsertAsync(source, progress, ct);
        try
        {
            return await LoadDataAsync(source, progress, ct);
        }
        catch (MySqlException e) when (IsLocalInfileRefused(e))
        {
            // The server refuses LOAD DATA LOCAL before it asks for any data, so the source has not been read
            // and a failed statement does not end a MySQL transaction: the same rows go through INSERT.
            return await InsertAsync(source, progress, ct);
        }
    }

    private async Task<long> LoadDataAsync(DbDataReader source, IProgress<long>? progress, CancellationToken ct)
    {
        PathTaken = MySqlBulkMode.LoadData;
        var reader = new MySqlSourceReader(source, Target.Columns, _wallClock, ct);
        var bulkCopy = new MySqlBulkCopy(_connection, (MySqlTransaction?)Transaction)
        {
            DestinationTableName = Table,
            BulkCopyTimeout = _options.TimeoutSeconds,
            NotifyAfter = progress is null ? 0 : _options.ProgressEvery,
        };
        for (var i = 0; i < Target.Columns.Count; i++)
            bulkCopy.ColumnMappings.Add(new MySqlBulkCopyColumnMapping(i, Target.Columns[i]));
        if (progress is not null) bulkCopy.MySqlRowsCopied += (_, e) => progress.Report(e.RowsCopied);

        MySqlBulkCopyResult result;
        try
        {
            result = await bulkCopy.WriteToServerAsync(reader, ct);
        }
        catch (MySqlException e) when (IsLocalInfileRefused(e) && reader.RowsRead == 0)
        {
            throw;
        }
        catch (Exception e) when (e is MySqlException or NotSupportedException)
        {
            reader.ThrowIfFailed();
            throw new DriverException($"loading {Table} failed after {reader.RowsRead} rows: {e.Message}", e);
        }
        reader.ThrowIfFailed();

        // LOAD DATA LOCAL cannot stop the client mid-file, so the server turns bad values into warnings
        // (storing 0 or a truncated value) instead of failing; any warning is therefore a failed load.
        // Notes (e.g. decimal rounding) are what INSERT would accept too.
        var problems = result.Warnings.Where(w => !string.Equals(w.Level, "Note", StringComparison.OrdinalIgnoreCase)).ToList();
        if (problems.Count > 0)
        {
            var more = problems.Count > 1 ? $" (and {problems.Count - 1} more)" : "";
            throw new DriverException($"loading {Table} failed: {problems[0].Message}{more}");
        }
        progress?.Report(result.RowsInserted);
        return result.RowsInserted;
    }

    private async Task<long> InsertAsync(DbDataReader source, IProgress<long>? progress, CancellationToken ct)
    {
        PathTaken = MySqlBulkMode.Insert;
        var columns = Target.Columns.Count;
        var rowsPerStatement = Math.Max(1, Math.Min(_options.InsertBatchRows, MaxParameters / columns));
        var batch = new List<object[]>(rowsPerStatement);
        string? fullBatchSql = null;
        long written = 0;
        var bytes = 0L;

        while (await source.ReadAsync(ct))
        {
            var rowNumber = written + batch.Count + 1;
            var row = new object[columns];
            for (var i = 0; i < columns; i++)
            {
                var value = source.GetValue(i);
                if (!MySqlValues.TryConvert(value, _wallClock[i], out row[i]))
                    throw new DriverException(
                        $"row {rowNumber}, column '{Target.Columns[i]}': a {value.GetType().Name} value cannot be written to MySQL; cast it to a plain type in the source query");
                bytes += MySqlValues.EstimateBytes(row[i]);
            }
            batch.Add(row);
            if (batch.Count < rowsPerStatement && bytes < _options.InsertBatchBytes) continue;

            // full batches share one statement text; a batch cut short by its size gets its own
            var sql = batch.Count == rowsPerStatement
                ? fullBatchSql ??= _dialect.InsertRows(Target.Table, Target.Columns, rowsPerStatement)
                : null;
            written += await InsertBatchAsync(batch, sql, written + 1, ct);
            progress?.Report(written);
            batch.Clear();
            bytes = 0;
        }

        if (batch.Count > 0)
        {
            written += await InsertBatchAsync(batch, null, written + 1, ct);
            progress?.Report(written);
        }
        return written;
    }

    private async Task<long> InsertBatchAsync(List<object[]> batch, string? sql, long firstRow, CancellationToken ct)
    {
        sql ??= _dialect.InsertRows(Target.Table, Target.Columns, batch.Count);
        await using var command = new MySqlCommand(sql, _connection, (MySqlTransaction?)Transaction) { CommandTimeout = _options.TimeoutSeconds };
        var n = 0;
        foreach (var row in batch)
            foreach (var value in row)
                command.Parameters.Add(new MySqlParameter("@p" + n++, value));
        try
        {
            await command.ExecuteNonQueryAsync(ct);
            return batch.Count;
        }
        catch (MySqlException e)
        {
            throw new DriverException($"inserting into {Table} failed: {InSourceRows(e.Message, firstRow, batch.Count)}", e);
        }
    }

    /// <summary>
    /// The server numbers rows within one INSERT ("… at row 3"); the message is rewritten to count from the
    /// start of the source, or names the batch's range when the server gives no row.
    /// </summary>
    internal static string InSourceRows(string message, long firstRow, int rows)
    {
        var match = RowInStatement().Match(message);
        if (match.Success && long.TryParse(match.Groups[1].Value, out var row))
            return message[..match.Index] + $"at row {firstRow + row - 1}" + message[(match.Index + match.Length)..];
        return $"{message} (in rows {firstRow}-{firstRow + rows - 1})";
    }

    // 1148 ER_NOT_ALLOWED_COMMAND (MySQL 5.7, older MariaDB), 3948 ER_CLIENT_LOCAL_FILES_DISABLED (MySQL 8),
    // 4166 ER_LOAD_INFILE_CAPABILITY_DISABLED (MariaDB 10.6+)
    private static bool IsLocalInfileRefused(MySqlException e) => e.Number is 1148 or 3948 or 4166;

    [GeneratedRegex(@"at row (\d+)")]
    private static partial Regex RowInStatement();
}
