using System.Data;
using Microsoft.Data.SqlClient;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.SqlServer;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.SqlServer;

/// <summary>Against a real SQL Server, when PIPEKIT_TEST_MSSQL names one; skipped otherwise.</summary>
public sealed class SqlServerIntegrationFacts
{
    [MssqlFact]
    public async Task A_sqlserver_URI_connects_and_answers_a_trivial_query()
    {
        await using var scratch = await MssqlScratch.CreateAsync();
        await using var conn = await scratch.OpenAsync();
        await using var cmd = new SqlCommand("SELECT 1", conn);
        Assert.Equal(1, await cmd.ExecuteScalarAsync());
    }

    [MssqlFact]
    public async Task Introspection_lists_the_schema_its_tables_and_columns_as_portable_types()
    {
        await using var scratch = await MssqlScratch.CreateAsync();
        await scratch.ExecuteAsync($"""
            CREATE TABLE {scratch.Qualified("everything")} (
              id bigint NOT NULL PRIMARY KEY, flag bit, tiny tinyint, small smallint, whole int, amount decimal(15,4) NOT NULL,
              price money, ratio real, score float, code char(10), name nvarchar(40), notes nvarchar(max), legacy varchar(max),
              born date, at_time time(7), created datetime2(7), old datetime, stamped datetimeoffset(7), uid uniqueidentifier,
              raw varbinary(16), image varbinary(max))
            """);
        await scratch.ExecuteAsync($"CREATE VIEW {scratch.Qualified("everything_ids")} AS SELECT id FROM {scratch.Qualified("everything")}");
        var catalog = scratch.Dialect.Catalog;
        await using var conn = await scratch.OpenAsync();

        var schemas = (await CatalogRows.ReadAsync(conn, catalog.ListSchemas())).Select(r => (string)r["schema_name"]!).ToList();
        Assert.Contains(scratch.Schema, schemas);
        Assert.DoesNotContain("sys", schemas);
        Assert.DoesNotContain("db_owner", schemas);

        var tables = await CatalogRows.ReadAsync(conn, catalog.ListTables(new Dictionary<string, string?> { ["schema"] = scratch.Schema }));
        Assert.Equal([("everything", "BASE TABLE"), ("everything_ids", "VIEW")], tables.Select(r => ((string)r["table_name"]!, (string)r["table_type"]!)));

        var database = conn.Database;
        var throughDatabase = await CatalogRows.ReadAsync(conn, catalog.ListTables(new Dictionary<string, string?> { ["database"] = database, ["schema"] = scratch.Schema }));
        Assert.Equal(2, throughDatabase.Count);

        var columns = (await CatalogRows.ReadAsync(conn, catalog.ListColumns(scratch.Table("everything")))).Select(CatalogRows.ToColumnInfo).ToList();
        var expected = new (string, PortableType)[]
        {
            ("id", new(PortableKind.Int64)), ("flag", new(PortableKind.Boolean)), ("tiny", new(PortableKind.Int16)), ("small", new(PortableKind.Int16)),
            ("whole", new(PortableKind.Int32)), ("amount", new(PortableKind.Decimal, 15, 4)), ("price", new(PortableKind.Decimal, 19, 4)),
            ("ratio", new(PortableKind.Float32)), ("score", new(PortableKind.Float64)), ("code", new(PortableKind.Text, Length: 10)),
            ("name", new(PortableKind.Text, Length: 40)), ("notes", new(PortableKind.Text)), ("legacy", new(PortableKind.Text)),
            ("born", new(PortableKind.Date)), ("at_time", new(PortableKind.Time)), ("created", new(PortableKind.Timestamp)),
            ("old", new(PortableKind.Timestamp)), ("stamped", new(PortableKind.TimestampTz)), ("uid", new(PortableKind.Uuid)),
            ("raw", new(PortableKind.Binary)), ("image", new(PortableKind.Binary)),
        };
        Assert.Equal(expected, columns.Select(c => (c.Name, scratch.Dialect.ToPortable(c))));
        Assert.Equal(Enumerable.Range(1, expected.Length), columns.Select(c => c.Ordinal));
        Assert.False(columns[0].Nullable);
        Assert.Null(columns.Single(c => c.Name == "notes").Length);

        var throughDatabaseColumns = await CatalogRows.ReadAsync(conn, catalog.ListColumns(new TableName("everything", scratch.Schema, database)));
        Assert.Equal(expected.Length, throughDatabaseColumns.Count);
        Assert.Single(await CatalogRows.ReadAsync(conn, catalog.TableExists(scratch.Table("everything"))));
        Assert.Empty(await CatalogRows.ReadAsync(conn, catalog.TableExists(scratch.Table("absent"))));
    }

    [MssqlFact]
    public async Task The_generated_DDL_runs_and_TRUNCATE_rolls_back_inside_a_transaction()
    {
        await using var scratch = await MssqlScratch.CreateAsync();
        var ddl = scratch.Dialect.Ddl;
        var target = scratch.Table("orders");
        var staging = scratch.Table("orders_staging");
        await scratch.ExecuteAsync(ddl.CreateSchemaIfMissing(scratch.Schema));
        await scratch.ExecuteAsync(ddl.CreateTable(target, [new("id", "bigint", Nullable: false), new("name", scratch.Dialect.RenderType(new(PortableKind.Text)))]));
        await scratch.ExecuteAsync($"INSERT INTO {scratch.Qualified("orders")} VALUES (1, N'a'), (2, N'b')");
        await scratch.ExecuteAsync(ddl.DropTableIfExists(staging));
        await scratch.ExecuteAsync(ddl.CreateTableLike(staging, target));

        await using (var conn = await scratch.OpenAsync())
        {
            await using var tx = (SqlTransaction)await conn.BeginTransactionAsync();
            await using var truncate = new SqlCommand(ddl.EmptyTable(target), conn, tx);
            await truncate.ExecuteNonQueryAsync();
            await tx.RollbackAsync();
        }

        Assert.Equal(2, (await scratch.RowsAsync($"SELECT COUNT(*) FROM {scratch.Qualified("orders")}"))[0][0]);
        Assert.Equal(0, (await scratch.RowsAsync($"SELECT COUNT(*) FROM {scratch.Qualified("orders_staging")}"))[0][0]);
        await scratch.ExecuteAsync(ddl.EmptyTable(target));
        Assert.Equal(0, (await scratch.RowsAsync($"SELECT COUNT(*) FROM {scratch.Qualified("orders")}"))[0][0]);
    }

    [MssqlFact]
    public async Task A_bulk_write_keeps_every_value_exactly()
    {
        await using var scratch = await MssqlScratch.CreateAsync();
        await scratch.ExecuteAsync($"""
            CREATE TABLE {scratch.Qualified("dest")} (
              id int, flag bit, tiny tinyint, small smallint, big bigint, amount decimal(15,4), ratio real, score float,
              name nvarchar(max), code nvarchar(40), born date, at_time time(7), created datetime2(7), stamped datetimeoffset(7),
              uid uniqueidentifier, raw varbinary(max))
            """);
        var source = new DataTable();
        foreach (var (name, type) in new[]
        {
            ("id", typeof(int)), ("flag", typeof(bool)), ("tiny", typeof(byte)), ("small", typeof(short)), ("big", typeof(long)),
            ("amount", typeof(decimal)), ("ratio", typeof(float)), ("score", typeof(double)), ("name", typeof(string)), ("code", typeof(string)),
            ("born", typeof(DateTime)), ("at_time", typeof(TimeSpan)), ("created", typeof(DateTime)), ("stamped", typeof(DateTimeOffset)),
            ("uid", typeof(Guid)), ("raw", typeof(byte[])),
        })
            source.Columns.Add(name, type);
        object?[] first =
        [
            1, true, (byte)255, (short)-32768, long.MaxValue, 12345678901.2345m, 1.5f, -1e300, "Zürich – 東京 – 🚀🎉", "",
            new DateTime(2024, 2, 29), new TimeSpan(0, 13, 14, 15).Add(TimeSpan.FromTicks(1)), new DateTime(2024, 2, 29, 23, 59, 59).AddTicks(1234567),
            new DateTimeOffset(2024, 6, 1, 12, 30, 0, TimeSpan.FromHours(5.5)), Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), new byte[] { 0, 255, 9, 10 },
        ];
        object?[] second = [2, false, (byte)0, (short)0, 0L, -0.0001m, 0f, 0d, "tab\tnewline\n", "x", new DateTime(1, 1, 1), TimeSpan.Zero,
            new DateTime(9999, 12, 31, 23, 59, 59).AddTicks(9999999), DateTimeOffset.MinValue, Guid.Empty, Array.Empty<byte>()];
        source.Rows.Add(first);
        source.Rows.Add(second);
        source.Rows.Add(3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
        var columns = source.Columns.Cast<DataColumn>().Select(c => c.ColumnName).ToList();

        await using (var conn = await scratch.OpenAsync())
        await using (var writer = scratch.Driver.CreateBulkWriter(conn, new BulkWriteTarget(scratch.Table("dest"), columns)))
        {
            Assert.Equal(3, await writer.WriteAsync(source.CreateDataReader(), null, CancellationToken.None));
            await writer.CompleteAsync(CancellationToken.None);
        }

        var rows = await scratch.RowsAsync($"SELECT * FROM {scratch.Qualified("dest")} ORDER BY id");
        Assert.Equal(first, rows[0]);
        Assert.Equal(second, rows[1]);
        Assert.Equal([3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null], rows[2]);
        Assert.Equal(TimeSpan.FromHours(5.5), ((DateTimeOffset)rows[0][13]!).Offset);
    }

    [MssqlFact]
    public async Task A_SQL_Server_to_SQL_Server_round_trip_through_a_reader_keeps_rows_and_identity_values()
    {
        await using var scratch = await MssqlScratch.CreateAsync();
        var src = scratch.Table("src");
        await scratch.ExecuteAsync($"CREATE TABLE {scratch.Qualified("src")} (id int IDENTITY(1,1) PRIMARY KEY, name nvarchar(50) NULL, amount decimal(15,4) NULL)");
        await scratch.ExecuteAsync($"INSERT INTO {scratch.Qualified("src")} (name, amount) VALUES (N'a', 1.5), (N'b', NULL), (N'🚀', -2.0001); DELETE FROM {scratch.Qualified("src")} WHERE id = 2");
        await scratch.ExecuteAsync(scratch.Dialect.Ddl.CreateTableLike(scratch.Table("copy"), src));

        await using (var source = await scratch.OpenAsync())
        await using (var destination = await scratch.OpenAsync())
        {
            await using var select = new SqlCommand($"SELECT id, name, amount FROM {scratch.Qualified("src")} ORDER BY id", source);
            await using var reader = await select.ExecuteReaderAsync();
            await using var writer = scratch.Driver.CreateBulkWriter(destination, new BulkWriteTarget(scratch.Table("copy"), ["id", "name", "amount"]));
            Assert.Equal(2, await writer.WriteAsync(reader, null, CancellationToken.None));
            await writer.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(
            await scratch.RowsAsync($"SELECT * FROM {scratch.Qualified("src")} ORDER BY id"),
            await scratch.RowsAsync($"SELECT * FROM {scratch.Qualified("copy")} ORDER BY id"));
        Assert.Equal([1, 3], (await scratch.RowsAsync($"SELECT id FROM {scratch.Qualified("copy")} ORDER BY id")).Select(r => r[0]));
    }

    [MssqlFact]
    public async Task Disposing_without_completing_rolls_the_write_back()
    {
        await using var scratch = await MssqlScratch.CreateAsync();
        await scratch.ExecuteAsync($"CREATE TABLE {scratch.Qualified("dest")} (id int, label nvarchar(max))");
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));
        source.Columns.Add("label", typeof(string));
        for (var i = 1; i <= 25; i++) source.Rows.Add(i, $"row {i}");

        await using (var conn = await scratch.OpenAsync())
        await using (var writer = scratch.Driver.CreateBulkWriter(conn, new BulkWriteTarget(scratch.Table("dest"), ["id", "label"])))
        {
            Assert.Equal(25, await writer.WriteAsync(source.CreateDataReader(), null, CancellationToken.None));
        }

        Assert.Equal(0, (await scratch.RowsAsync($"SELECT COUNT(*) FROM {scratch.Qualified("dest")}"))[0][0]);
    }

    [MssqlFact]
    public async Task A_value_the_column_cannot_hold_fails_the_write_naming_the_column_and_nothing_stays()
    {
        await using var scratch = await MssqlScratch.CreateAsync();
        await scratch.ExecuteAsync($"CREATE TABLE {scratch.Qualified("dest")} (id int, qty int NOT NULL)");
        var source = new DataTable();
        source.Columns.Add("id", typeof(int));
        source.Columns.Add("qty", typeof(string));
        for (var i = 1; i <= 5; i++) source.Rows.Add(i, i == 4 ? "four" : i.ToString(System.Globalization.CultureInfo.InvariantCulture));

        await using (var conn = await scratch.OpenAsync())
        await using (var writer = scratch.Driver.CreateBulkWriter(conn, new BulkWriteTarget(scratch.Table("dest"), ["id", "qty"])))
        {
            var e = await Assert.ThrowsAsync<DriverException>(() => writer.WriteAsync(source.CreateDataReader(), null, CancellationToken.None));
            Assert.Contains("[qty]", e.Message);
            Assert.Contains("'four'", e.Message);
        }

        Assert.Equal(0, (await scratch.RowsAsync($"SELECT COUNT(*) FROM {scratch.Qualified("dest")}"))[0][0]);
    }
}
