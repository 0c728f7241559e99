using System.Data;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Db2i;
using Pipekit.Core.Drivers.Odbc;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

/// <summary>The ODBC bulk writer, run against SQLite's ODBC driver.</summary>
public sealed class OdbcBulkWriterFacts : IDisposable
{
    private static readonly BulkWriteTarget Target = new(new TableName("target"), ["id", "name", "amount", "booked"]);
    private readonly TempDirectory _directory = new();
    private readonly OdbcDriver _driver = new([new Db2iDialect()]);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_insert_lists_quoted_columns_and_one_tuple_of_markers_per_row() =>
        Assert.Equal(
            "INSERT INTO \"S\".\"T\" (\"DCORD#\", \"amount\") VALUES (?, ?), (?, ?), (?, ?)",
            OdbcBulkWriter.InsertSql(new Db2iDialect(), new BulkWriteTarget(new TableName("T", "S"), ["DCORD#", "amount"]), 3));

    [Theory]
    [InlineData(1, 2000)]
    [InlineData(4, 500)]
    [InlineData(7, 285)]
    [InlineData(3000, 1)]
    public void A_batch_stays_under_two_thousand_parameters(int columns, int rowsPerBatch)
    {
        var target = new BulkWriteTarget(new TableName("t"), Enumerable.Range(0, columns).Select(i => $"c{i}").ToList());
        Assert.Equal(rowsPerBatch, new OdbcBulkWriter(new OdbcNativeConnection(), target, new Db2iDialect()).RowsPerBatch);
    }

    [SqliteOdbcFact]
    public async Task Ten_thousand_rows_are_written_and_committed_with_progress()
    {
        await using var connection = await OpenWithTableAsync();
        var progress = new List<long>();

        await using (var writer = _driver.CreateBulkWriter(connection, Target))
        {
            var written = await writer.WriteAsync(Source(10_000).CreateDataReader(), new SyncProgress(progress), default);
            await writer.CompleteAsync(default);
            Assert.Equal(10_000, written);
        }

        Assert.Equal(10_000, progress[^1]);
        Assert.Equal(20, progress.Count); // 500 rows of 4 columns per statement
        await using var check = new OdbcNativeCommand("SELECT COUNT(*), SUM(id), MIN(name), SUM(amount IS NULL) FROM target", connection);
        await using var reader = await check.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(10_000L, Convert.ToInt64(reader.GetValue(0)));
        Assert.Equal(50_005_000L, Convert.ToInt64(reader.GetValue(1)));
        Assert.Equal("name 1", reader.GetString(2));
        Assert.Equal(1_000L, Convert.ToInt64(reader.GetValue(3)));
    }

    [SqliteOdbcFact]
    public async Task Disposing_without_complete_rolls_the_rows_back()
    {
        await using var connection = await OpenWithTableAsync();

        await using (var writer = _driver.CreateBulkWriter(connection, Target))
            Assert.Equal(10_000, await writer.WriteAsync(Source(10_000).CreateDataReader(), null, default));

        Assert.Equal(0L, await CountAsync(connection));
        Assert.Null(connection.CurrentTransaction);
    }

    [SqliteOdbcFact]
    public async Task A_failing_row_is_named_with_its_number_and_column_and_nothing_is_kept()
    {
        await using var connection = await OpenWithTableAsync(amountNotNull: true);
        var source = Source(3_000, nullEvery: int.MaxValue);
        source.Rows[1522]["amount"] = DBNull.Value;

        await using var writer = _driver.CreateBulkWriter(connection, Target);
        var error = await Assert.ThrowsAsync<DriverException>(() => writer.WriteAsync(source.CreateDataReader(), null, default));

        Assert.StartsWith("row 1523, column \"amount\": ", error.Message);
        Assert.Contains("NOT NULL", error.Message);
        Assert.Equal(0L, await CountAsync(connection));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(default));
    }

    [SqliteOdbcFact]
    public async Task A_value_odbc_cannot_send_is_named_before_anything_is_sent()
    {
        await using var connection = await OpenWithTableAsync();
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));
        source.Columns.Add("name", typeof(object));
        source.Columns.Add("amount", typeof(decimal));
        source.Columns.Add("booked", typeof(DateTime));
        source.Rows.Add(1, "fine", 1m, DateTime.Today);
        source.Rows.Add(2, new Uri("https://example.com"), 1m, DateTime.Today);

        await using var writer = _driver.CreateBulkWriter(connection, Target);
        var error = await Assert.ThrowsAsync<DriverException>(() => writer.WriteAsync(source.CreateDataReader(), null, default));

        Assert.StartsWith("row 2, column \"name\": a Uri value cannot be sent", error.Message);
        Assert.Equal(0L, await CountAsync(connection));
    }

    [SqliteOdbcFact]
    public async Task A_cancelled_write_rolls_back()
    {
        await using var connection = await OpenWithTableAsync();
        using var cancellation = new CancellationTokenSource();
        var progress = new SyncProgress([], written => { if (written >= 1_000) cancellation.Cancel(); });

        await using var writer = _driver.CreateBulkWriter(connection, Target);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => writer.WriteAsync(Source(10_000).CreateDataReader(), progress, cancellation.Token));

        Assert.Equal(0L, await CountAsync(connection));
    }

    [SqliteOdbcFact]
    public async Task A_source_with_the_wrong_column_count_is_refused()
    {
        await using var connection = await OpenWithTableAsync();
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));

        await using var writer = _driver.CreateBulkWriter(connection, Target);
        var error = await Assert.ThrowsAsync<DriverException>(() => writer.WriteAsync(source.CreateDataReader(), null, default));
        Assert.Contains("1 columns", error.Message);
        Assert.Contains("id, name, amount, booked", error.Message);
    }

    private async Task<OdbcNativeConnection> OpenWithTableAsync(bool amountNotNull = false)
    {
        var url = $"odbc:Driver={OdbcTestDrivers.Sqlite};Database={_directory.File("bulk.db")}";
        var connection = (OdbcNativeConnection)await _driver.OpenAsync(new ResolvedConnection("bulk", "odbc", url, null, null, null), default);
        await SqliteOdbcFacts.ExecuteAsync(connection,
            $"CREATE TABLE target (id INTEGER, name VARCHAR(40), amount DECIMAL(15,4){(amountNotNull ? " NOT NULL" : "")}, booked TIMESTAMP)");
        return connection;
    }

    private static async Task<long> CountAsync(OdbcNativeConnection connection)
    {
        await using var count = new OdbcNativeCommand("SELECT COUNT(*) FROM target", connection);
        return Convert.ToInt64(await count.ExecuteScalarAsync());
    }

    private static DataTable Source(int rows, int nullEvery = 10)
    {
        var table = new DataTable();
        table.Columns.Add("id", typeof(int));
        table.Columns.Add("name", typeof(string));
        table.Columns.Add("amount", typeof(decimal));
        table.Columns.Add("booked", typeof(DateTime));
        for (var i = 1; i <= rows; i++)
            table.Rows.Add(i, $"name {i}", i % nullEvery == 0 ? DBNull.Value : i * 1.25m, new DateTime(2024, 1, 1).AddMinutes(i));
        return table;
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; the tests need the reports in order and at once.</summary>
    private sealed class SyncProgress(List<long> reports, Action<long>? onReport = null) : IProgress<long>
    {
        public void Report(long value)
        {
            reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
