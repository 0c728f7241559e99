using System.Data;
using System.Data.Common;
using MySqlConnector;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.MySql;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.MySql;

[Collection(MariaDbCollection.Name)]
public sealed class MySqlBulkWriterFacts(MariaDbFixture mariadb)
{
    // Every value MariaDB holds that a sync must carry unchanged; tabs, newlines, backslashes and a literal
    // \N matter because LOAD DATA is a tab-separated text format where \N means NULL.
    private const string SourceTable = """
        CREATE TABLE src (
          id int NOT NULL PRIMARY KEY, amount decimal(15,4), flag tinyint(1), created datetime(6), born date, at_time time(6),
          name varchar(100), notes longtext, id_text char(36), id_uuid uuid, raw varbinary(32), image longblob, doc json,
          ratio float, score double, big bigint)
        """;

    private const string SourceRows = """
        INSERT INTO src VALUES
          (1, 12345678901.2345, 1, '2024-02-29 23:59:59.123456', '2024-02-29', '13:14:15.000001', 'plain', 'line1\nline2\ttab\\backslash',
           '6f9619ff-8b86-d011-b42d-00c04fc964ff', '6f9619ff-8b86-d011-b42d-00c04fc964ff', X'00FF0A090D5C4E', X'DEADBEEF', '{"a": [1, 2]}', 1.5, 2.25, 9223372036854775807),
          (2, -0.0001, 0, '1970-01-01 00:00:00.000000', '0001-01-01', '00:00:00', '', '\\N', 'not-a-uuid-but-36-characters-long-xx', NULL, X'', X'00', '{}', -0.5, -1e300, -9223372036854775808),
          (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (4, 0.0000, 1, '9999-12-31 23:59:59.999999', '9999-12-31', '838:59:59', 'Zürich – 東京 – 🚀🎉', 'emoji 👩‍👩‍👧 and 𝕏', '00000000-0000-0000-0000-000000000000', '00000000-0000-0000-0000-000000000001', X'F09F9A80', X'', '"🚀"', 0, 0, 0)
        """;

    private static readonly string[] SourceColumns =
        ["id", "amount", "flag", "created", "born", "at_time", "name", "notes", "id_text", "id_uuid", "raw", "image", "doc", "ratio", "score", "big"];

    private static MySqlDriver Driver(MySqlBulkMode mode, int insertBatchRows = 1_000, int progressEvery = 10_000) =>
        new(new MySqlBulkWriterOptions { Mode = mode, InsertBatchRows = insertBatchRows, ProgressEvery = progressEvery });

    private static async Task<MySqlConnection> OpenAsync(MySqlDriver driver, string connectionString) =>
        (MySqlConnection)await driver.OpenAsync(new ResolvedConnection("test", "mysql", connectionString, null, null, null), CancellationToken.None);

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new MySqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new MySqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<List<object?[]>> RowsAsync(string connectionString, string sql)
    {
        await using var conn = new MySqlConnection(connectionString + ";GuidFormat=None");
        await conn.OpenAsync();
        await using var cmd = new MySqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++) row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    private static async Task<long> CountAsync(string connectionString, string table) =>
        Convert.ToInt64((await RowsAsync(connectionString, $"SELECT COUNT(*) FROM {table}"))[0][0]);

    private static DbDataReader Source(DataTable table) => table.CreateDataReader();

    private static DataTable Numbers(int count)
    {
        var table = new DataTable();
        table.Columns.Add("id", typeof(int));
        table.Columns.Add("label", typeof(string));
        for (var i = 1; i <= count; i++) table.Rows.Add(i, $"row {i}");
        return table;
    }

    [MariaDbTheory]
    [InlineData(nameof(MySqlBulkMode.LoadData))]
    [InlineData(nameof(MySqlBulkMode.Insert))]
    public async Task A_MariaDB_to_MariaDB_round_trip_keeps_every_value_exactly(string path)
    {
        var mode = Enum.Parse<MySqlBulkMode>(path);
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, SourceTable + ";" + SourceRows + "; CREATE TABLE dest LIKE src");
        var driver = Driver(mode);

        await using var source = await OpenAsync(driver, db);
        await using var destination = await OpenAsync(driver, db);
        await using var select = new MySqlCommand($"SELECT {string.Join(", ", SourceColumns)} FROM src ORDER BY id", source);
        await using var reader = await select.ExecuteReaderAsync();

        await using var writer = (MySqlBulkWriter)driver.CreateBulkWriter(destination, new BulkWriteTarget(new TableName("dest"), SourceColumns));
        var written = await writer.WriteAsync(reader, null, CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);

        Assert.Equal(4, written);
        Assert.Equal(mode, writer.PathTaken);
        var expected = await RowsAsync(db, "SELECT * FROM src ORDER BY id");
        var actual = await RowsAsync(db, "SELECT * FROM dest ORDER BY id");
        Assert.Equal(expected, actual);

        // spot checks of what an equality of object arrays could hide
        Assert.Equal("12345678901.2345", ((decimal)actual[0][1]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("", actual[1][6]);
        Assert.Equal("\\N", actual[1][7]);
        Assert.Null(actual[2][6]);
        Assert.Equal("Zürich – 東京 – 🚀🎉", actual[3][6]);
        Assert.Equal(new byte[] { 0x00, 0xFF, 0x0A, 0x09, 0x0D, 0x5C, 0x4E }, actual[0][10]);
        Assert.Equal(Array.Empty<byte>(), actual[1][10]);
        Assert.Equal(new DateTime(2024, 2, 29, 23, 59, 59).AddTicks(1234560), actual[0][3]);
    }

    [MariaDbTheory]
    [InlineData(nameof(MySqlBulkMode.LoadData))]
    [InlineData(nameof(MySqlBulkMode.Insert))]
    public async Task Guids_offsets_and_booleans_are_stored_as_char36_UTC_and_1_or_0(string path)
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, u char(36), at datetime(6), flag tinyint(1), label longtext)");
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));
        source.Columns.Add("u", typeof(Guid));
        source.Columns.Add("at", typeof(DateTimeOffset));
        source.Columns.Add("flag", typeof(bool));
        source.Columns.Add("label", typeof(string));
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        source.Rows.Add(1, guid, new DateTimeOffset(2024, 6, 1, 12, 30, 0, TimeSpan.FromHours(2)).AddTicks(10), true, "x");
        source.Rows.Add(2, Guid.Empty, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.FromHours(-5)), false, "");
        source.Rows.Add(3, DBNull.Value, DBNull.Value, DBNull.Value, DBNull.Value);

        var driver = Driver(Enum.Parse<MySqlBulkMode>(path));
        await using (var conn = await OpenAsync(driver, db))
        await using (var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "u", "at", "flag", "label"])))
        {
            await writer.WriteAsync(Source(source), null, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
        }

        var rows = await RowsAsync(db, "SELECT id, u, at, CAST(flag AS CHAR), label FROM dest ORDER BY id");
        Assert.Equal([1, "0f8fad5b-d9cb-469f-a165-70867728950e", new DateTime(2024, 6, 1, 10, 30, 0).AddTicks(10), "1", "x"], rows[0]);
        Assert.Equal([2, "00000000-0000-0000-0000-000000000000", new DateTime(2024, 1, 1, 5, 0, 0), "0", ""], rows[1]);
        Assert.Equal([3, null, null, null, null], rows[2]);
    }

    [MariaDbTheory]
    [InlineData(nameof(MySqlBulkMode.LoadData))]
    [InlineData(nameof(MySqlBulkMode.Insert))]
    public async Task Disposing_without_completing_rolls_the_write_back(string path)
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext)");
        var driver = Driver(Enum.Parse<MySqlBulkMode>(path));
        await using var conn = await OpenAsync(driver, db);

        await using (var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "label"])))
        {
            Assert.Equal(25, await writer.WriteAsync(Source(Numbers(25)), null, CancellationToken.None));
            Assert.Equal(25, await CountUncommittedAsync(db, "dest"));
        }

        Assert.Equal(0, await CountAsync(db, "dest"));
        await using var ping = new MySqlCommand("SELECT 1", conn);
        Assert.Equal(1, Convert.ToInt32(await ping.ExecuteScalarAsync()));
    }

    // the writer's rows, seen from another session before they are committed or rolled back
    private static async Task<long> CountUncommittedAsync(string connectionString, string table) =>
        Convert.ToInt64((await RowsAsync(connectionString, $"SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED; SELECT COUNT(*) FROM {table}"))[0][0]);

    [MariaDbFact]
    public async Task After_completion_the_rows_are_visible_and_the_writer_takes_no_more()
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext)");
        var driver = Driver(MySqlBulkMode.Auto);
        await using var conn = await OpenAsync(driver, db);
        await using var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "label"]));

        await writer.WriteAsync(Source(Numbers(3)), null, CancellationToken.None);
        await writer.WriteAsync(Source(Numbers(2)), null, CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);

        Assert.Equal(5, await CountAsync(db, "dest"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(Source(Numbers(1)), null, CancellationToken.None));
    }

    [MariaDbFact]
    public async Task A_server_with_local_infile_off_falls_back_to_INSERT_by_itself()
    {
        var server = await mariadb.ServerWithoutLocalInfileAsync();
        var name = await server.CreateDatabaseAsync();
        var db = server.ConnectionString(name);
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext)");
        var driver = new MySqlDriver();

        await using var conn = await OpenAsync(driver, db);
        await using var writer = (MySqlBulkWriter)driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest", name), ["id", "label"]));
        Assert.Equal(1_500, await writer.WriteAsync(Source(Numbers(1_500)), null, CancellationToken.None));
        await writer.CompleteAsync(CancellationToken.None);

        Assert.Equal(MySqlBulkMode.Insert, writer.PathTaken);
        Assert.Equal(1_500, await CountAsync(db, "dest"));
        Assert.Equal([1_500, "row 1500"], (await RowsAsync(db, "SELECT id, label FROM dest WHERE id = 1500"))[0]);
    }

    [MariaDbFact]
    public async Task Forcing_LOAD_DATA_on_a_server_that_refuses_it_says_how_to_fix_it()
    {
        var server = await mariadb.ServerWithoutLocalInfileAsync();
        var name = await server.CreateDatabaseAsync();
        var db = server.ConnectionString(name);
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext)");
        var driver = Driver(MySqlBulkMode.LoadData);

        await using var conn = await OpenAsync(driver, db);
        await using var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "label"]));
        var e = await Assert.ThrowsAsync<DriverException>(() => writer.WriteAsync(Source(Numbers(3)), null, CancellationToken.None));
        Assert.Contains("local_infile", e.Message);
    }

    [MariaDbFact]
    public async Task A_connection_option_that_disallows_LOAD_DATA_LOCAL_selects_INSERT()
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext)");
        var driver = new MySqlDriver();
        await using var conn = await OpenAsync(driver, db + ";AllowLoadLocalInfile=false");
        await using var writer = (MySqlBulkWriter)driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "label"]));

        await writer.WriteAsync(Source(Numbers(10)), null, CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);

        Assert.Equal(MySqlBulkMode.Insert, writer.PathTaken);
        Assert.Equal(10, await CountAsync(db, "dest"));
    }

    [MariaDbFact]
    public async Task The_LOAD_DATA_path_is_the_default_when_client_and_server_allow_it()
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext)");
        var driver = new MySqlDriver();
        await using var conn = await OpenAsync(driver, db);
        await using var writer = (MySqlBulkWriter)driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "label"]));

        await writer.WriteAsync(Source(Numbers(10)), null, CancellationToken.None);

        Assert.Equal(MySqlBulkMode.LoadData, writer.PathTaken);
    }

    [MariaDbTheory]
    [InlineData(nameof(MySqlBulkMode.LoadData))]
    [InlineData(nameof(MySqlBulkMode.Insert))]
    public async Task A_value_the_column_cannot_hold_fails_the_write_naming_the_row_and_column_and_nothing_stays(string path)
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, qty int NOT NULL)");
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));
        source.Columns.Add("qty", typeof(string));
        for (var i = 1; i <= 5; i++) source.Rows.Add(i, i == 4 ? "four" : i.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // two rows a statement puts the bad row in the second INSERT, so its row number must be rebased
        var driver = Driver(Enum.Parse<MySqlBulkMode>(path), insertBatchRows: 2);
        await using var conn = await OpenAsync(driver, db);
        await using (var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "qty"])))
        {
            var e = await Assert.ThrowsAsync<DriverException>(() => writer.WriteAsync(Source(source), null, CancellationToken.None));
            Assert.Contains("at row 4", e.Message);
            Assert.Contains("`qty`", e.Message);
            Assert.Contains("'four'", e.Message);
            await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(CancellationToken.None));
        }
        Assert.Equal(0, await CountAsync(db, "dest"));
    }

    [MariaDbTheory]
    [InlineData(nameof(MySqlBulkMode.LoadData))]
    [InlineData(nameof(MySqlBulkMode.Insert))]
    public async Task A_value_MySQL_cannot_receive_is_refused_naming_the_row_and_column_and_the_connection_survives(string path)
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, tags longtext)");
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));
        source.Columns.Add("tags", typeof(object));
        source.Rows.Add(1, "fine");
        source.Rows.Add(2, new[] { 1, 2 });

        var driver = Driver(Enum.Parse<MySqlBulkMode>(path));
        await using var conn = await OpenAsync(driver, db);
        await using (var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "tags"])))
        {
            var e = await Assert.ThrowsAsync<DriverException>(() => writer.WriteAsync(Source(source), null, CancellationToken.None));
            Assert.Contains("row 2, column 'tags'", e.Message);
            Assert.Contains("Int32[]", e.Message);
        }

        Assert.Equal(ConnectionState.Open, conn.State);
        Assert.Equal(0, await CountAsync(db, "dest"));
    }

    [MariaDbTheory]
    [InlineData(nameof(MySqlBulkMode.LoadData))]
    [InlineData(nameof(MySqlBulkMode.Insert))]
    public async Task Cancelling_mid_write_stops_it_and_disposing_rolls_it_back(string path)
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext)");
        var driver = Driver(Enum.Parse<MySqlBulkMode>(path), insertBatchRows: 100, progressEvery: 100);
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(rows => { if (rows >= 100) cts.Cancel(); });

        await using (var conn = await OpenAsync(driver, db))
        await using (var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "label"])))
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync(Source(Numbers(5_000)), progress, cts.Token));
        }

        Assert.Equal(0, await CountAsync(db, "dest"));
    }

    [MariaDbTheory]
    [InlineData(nameof(MySqlBulkMode.LoadData))]
    [InlineData(nameof(MySqlBulkMode.Insert))]
    public async Task Progress_reports_a_running_count_that_ends_at_the_total(string path)
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext)");
        var driver = Driver(Enum.Parse<MySqlBulkMode>(path), progressEvery: 1_000);
        var reports = new List<long>();

        await using var conn = await OpenAsync(driver, db);
        await using var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "label"]));
        var written = await writer.WriteAsync(Source(Numbers(2_500)), new SyncProgress(reports.Add), CancellationToken.None);
        await writer.CompleteAsync(CancellationToken.None);

        Assert.Equal(2_500, written);
        Assert.Equal([1_000, 2_000, 2_500], reports);
        Assert.Equal(2_500, await CountAsync(db, "dest"));
    }

    [MariaDbFact]
    public async Task Large_values_split_INSERT_statements_by_size_without_losing_rows()
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, body longtext)");
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));
        source.Columns.Add("body", typeof(string));
        for (var i = 1; i <= 40; i++) source.Rows.Add(i, new string((char)('a' + i % 26), 200_000));

        var driver = new MySqlDriver(new MySqlBulkWriterOptions { Mode = MySqlBulkMode.Insert, InsertBatchBytes = 1_000_000 });
        await using var conn = await OpenAsync(driver, db);
        await using var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "body"]));
        Assert.Equal(40, await writer.WriteAsync(Source(source), null, CancellationToken.None));
        await writer.CompleteAsync(CancellationToken.None);

        var rows = await RowsAsync(db, "SELECT COUNT(*), SUM(LENGTH(body)) FROM dest");
        Assert.Equal([40L, 8_000_000m], rows[0]);
    }

    [MariaDbFact]
    public async Task A_source_with_a_different_number_of_columns_is_refused_before_anything_is_written()
    {
        var db = await mariadb.NewDatabaseAsync();
        await ExecuteAsync(db, "CREATE TABLE dest (id int, label longtext, extra int)");
        var driver = new MySqlDriver();
        await using var conn = await OpenAsync(driver, db);
        await using var writer = driver.CreateBulkWriter(conn, new BulkWriteTarget(new TableName("dest"), ["id", "label", "extra"]));

        var e = await Assert.ThrowsAsync<DriverException>(() => writer.WriteAsync(Source(Numbers(1)), null, CancellationToken.None));
        Assert.Contains("2 columns", e.Message);
    }

    [Fact]
    public void Server_row_numbers_within_a_statement_are_rebased_on_the_source()
    {
        Assert.Equal("Incorrect integer value: 'x' for column `d`.`t`.`n` at row 1003",
            MySqlBulkWriter.InSourceRows("Incorrect integer value: 'x' for column `d`.`t`.`n` at row 3", 1001, 1000));
        Assert.Equal("Duplicate entry '1' for key 'PRIMARY' (in rows 1001-2000)",
            MySqlBulkWriter.InSourceRows("Duplicate entry '1' for key 'PRIMARY'", 1001, 1000));
    }

    [Fact]
    public void The_driver_writes_only_through_a_MySQL_connection()
    {
        using var other = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=:memory:");
        Assert.Throws<ArgumentException>(() => new MySqlDriver().CreateBulkWriter(other, new BulkWriteTarget(new TableName("t"), ["a"])));
    }

    private sealed class SyncProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
