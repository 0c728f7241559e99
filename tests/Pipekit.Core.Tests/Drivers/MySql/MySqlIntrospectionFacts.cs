using System.Data.Common;
using MySqlConnector;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.MySql;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.MySql;

[Collection(MariaDbCollection.Name)]
public sealed class MySqlIntrospectionFacts(MariaDbFixture mariadb)
{
    private readonly MySqlDriver _driver = new();
    private readonly MySqlDialect _dialect = new();

    private async Task<(DbConnection Conn, string Database)> OpenFreshAsync()
    {
        var uri = await mariadb.NewDatabaseUriAsync();
        var conn = await _driver.OpenAsync(new ResolvedConnection("t", "mysql", uri, null, null, null), CancellationToken.None);
        return (conn, conn.Database);
    }

    private static async Task ExecuteAsync(DbConnection conn, string sql)
    {
        await using var cmd = new MySqlCommand(sql, (MySqlConnection)conn);
        await cmd.ExecuteNonQueryAsync();
    }

    [MariaDbFact]
    public async Task Schemas_list_user_databases_and_hide_the_system_ones()
    {
        var (conn, db) = await OpenFreshAsync();
        await using var _ = conn;
        var names = (await CatalogRows.ReadAsync(conn, _dialect.Catalog.ListSchemas())).Select(r => (string)r["schema_name"]!).ToList();
        Assert.Contains(db, names);
        Assert.DoesNotContain("mysql", names);
        Assert.DoesNotContain("information_schema", names);
        Assert.DoesNotContain("performance_schema", names);
    }

    [MariaDbFact]
    public async Task Tables_and_views_are_listed_for_a_schema_and_for_the_whole_server()
    {
        var (conn, db) = await OpenFreshAsync();
        await using var _ = conn;
        await ExecuteAsync(conn, "CREATE TABLE orders (id int); CREATE TABLE `weird``name` (id int); CREATE VIEW open_orders AS SELECT id FROM orders");

        var inSchema = await CatalogRows.ReadAsync(conn, _dialect.Catalog.ListTables(new Dictionary<string, string?> { ["schema"] = db }));
        Assert.Equal(
            [(db, "open_orders", "VIEW"), (db, "orders", "BASE TABLE"), (db, "weird`name", "BASE TABLE")],
            inSchema.Select(r => ((string)r["schema_name"]!, (string)r["table_name"]!, (string)r["table_type"]!)));

        var everywhere = await CatalogRows.ReadAsync(conn, _dialect.Catalog.ListTables(new Dictionary<string, string?>()));
        Assert.Contains(everywhere, r => (string)r["schema_name"]! == db && (string)r["table_name"]! == "orders");
        Assert.DoesNotContain(everywhere, r => (string)r["schema_name"]! is "mysql" or "information_schema");
    }

    [MariaDbFact]
    public async Task Columns_come_back_in_order_with_types_lengths_and_nullability_that_map_to_portable_types()
    {
        var (conn, db) = await OpenFreshAsync();
        await using var _ = conn;
        await ExecuteAsync(conn, """
            CREATE TABLE everything (
              id bigint NOT NULL PRIMARY KEY, flag tinyint(1), small smallint, whole int, counter int unsigned, big bigint unsigned,
              amount decimal(15,4) NOT NULL, ratio float, score double, code char(10), name varchar(40), notes longtext,
              doc json, id_text char(36), id_uuid uuid, born date, at_time time(6), created datetime(6), stamped timestamp(6) NULL,
              raw varbinary(16), image longblob, status enum('open','closed'))
            """);

        var rows = await CatalogRows.ReadAsync(conn, _dialect.Catalog.ListColumns(new TableName("everything", db)));
        var columns = rows.Select(CatalogRows.ToColumnInfo).ToList();
        Assert.Equal(Enumerable.Range(1, 22), columns.Select(c => c.Ordinal));

        var expected = new (string Name, PortableType Type)[]
        {
            ("id", new(PortableKind.Int64)), ("flag", new(PortableKind.Boolean)), ("small", new(PortableKind.Int16)),
            ("whole", new(PortableKind.Int32)), ("counter", new(PortableKind.Int64)), ("big", new(PortableKind.Decimal, 20, 0)),
            ("amount", new(PortableKind.Decimal, 15, 4)), ("ratio", new(PortableKind.Float32)), ("score", new(PortableKind.Float64)),
            ("code", new(PortableKind.Text, Length: 10)), ("name", new(PortableKind.Text, Length: 40)), ("notes", new(PortableKind.Text)),
            ("doc", new(PortableKind.Json)), ("id_text", new(PortableKind.Text, Length: 36)), ("id_uuid", new(PortableKind.Uuid)),
            ("born", new(PortableKind.Date)), ("at_time", new(PortableKind.Time)), ("created", new(PortableKind.Timestamp)),
            ("stamped", new(PortableKind.TimestampTz)), ("raw", new(PortableKind.Binary)), ("image", new(PortableKind.Binary)),
            ("status", new(PortableKind.Text)),
        };
        Assert.Equal(expected, columns.Select(c => (c.Name, _dialect.ToPortable(c))));

        var byName = columns.ToDictionary(c => c.Name);
        Assert.False(byName["id"].Nullable);
        Assert.False(byName["amount"].Nullable);
        Assert.True(byName["name"].Nullable);
        Assert.Equal(40, byName["name"].Length);
        Assert.Null(byName["notes"].Length);
        Assert.Equal((15, 4), (byName["amount"].Precision, byName["amount"].Scale));
        Assert.Equal("RTRIM(`name`)", _dialect.DefaultExpression(byName["name"]));
        Assert.Equal("`notes`", _dialect.DefaultExpression(byName["notes"]));
    }

    [MariaDbFact]
    public async Task A_table_exists_only_when_it_does_and_an_unqualified_name_means_the_current_database()
    {
        var (conn, db) = await OpenFreshAsync();
        await using var _ = conn;
        await ExecuteAsync(conn, "CREATE TABLE present (id int)");

        Assert.Single(await CatalogRows.ReadAsync(conn, _dialect.Catalog.TableExists(new TableName("present", db))));
        Assert.Single(await CatalogRows.ReadAsync(conn, _dialect.Catalog.TableExists(new TableName("present"))));
        Assert.Empty(await CatalogRows.ReadAsync(conn, _dialect.Catalog.TableExists(new TableName("absent", db))));
        Assert.Single(await CatalogRows.ReadAsync(conn, _dialect.Catalog.ListColumns(new TableName("present"))));
    }

    [MariaDbFact]
    public async Task The_generated_DDL_runs_and_creates_utf8mb4_InnoDB_tables_on_a_latin1_server()
    {
        var (conn, db) = await OpenFreshAsync();
        await using var _ = conn;
        var ddl = _dialect.Ddl;
        var staging = "stg_" + db;
        var target = new TableName("orders", db);
        var copy = new TableName("orders", staging);

        await ExecuteAsync(conn, ddl.CreateSchemaIfMissing(staging));
        await ExecuteAsync(conn, ddl.CreateSchemaIfMissing(staging));
        await ExecuteAsync(conn, ddl.CreateTable(target, [new("id", _dialect.RenderType(new(PortableKind.Int64)), Nullable: false), new("name", _dialect.RenderType(new(PortableKind.Text)))]));
        await ExecuteAsync(conn, ddl.DropTableIfExists(copy));
        await ExecuteAsync(conn, ddl.CreateTableLike(copy, target));
        await ExecuteAsync(conn, $"INSERT INTO {_dialect.QualifyTable(copy)} VALUES (1, 'a')");
        await ExecuteAsync(conn, ddl.EmptyTable(copy));

        await using var cmd = new MySqlCommand(
            "SELECT @@character_set_server, s.DEFAULT_CHARACTER_SET_NAME, t.ENGINE, t.TABLE_COLLATION, (SELECT COUNT(*) FROM " + _dialect.QualifyTable(copy) + ") " +
            "FROM INFORMATION_SCHEMA.SCHEMATA s JOIN INFORMATION_SCHEMA.TABLES t ON t.TABLE_SCHEMA = @db AND t.TABLE_NAME = 'orders' WHERE s.SCHEMA_NAME = @staging",
            (MySqlConnection)conn);
        cmd.Parameters.AddWithValue("@db", db);
        cmd.Parameters.AddWithValue("@staging", staging);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal("latin1", reader.GetString(0));
        Assert.Equal("utf8mb4", reader.GetString(1));
        Assert.Equal("InnoDB", reader.GetString(2));
        Assert.StartsWith("utf8mb4", reader.GetString(3));
        Assert.Equal(0L, reader.GetInt64(4));
        await reader.DisposeAsync();
        await ExecuteAsync(conn, ddl.DropTableIfExists(copy));
    }

    [MariaDbFact]
    public async Task Rendered_types_read_back_as_the_portable_types_they_came_from()
    {
        var (conn, db) = await OpenFreshAsync();
        await using var _ = conn;
        PortableType[] types =
        [
            new(PortableKind.Boolean), new(PortableKind.Int16), new(PortableKind.Int32), new(PortableKind.Int64),
            new(PortableKind.Decimal, 15, 4), new(PortableKind.Float32), new(PortableKind.Float64), new(PortableKind.Text),
            new(PortableKind.Date), new(PortableKind.Time), new(PortableKind.Timestamp), new(PortableKind.Binary), new(PortableKind.Json),
        ];
        var table = new TableName("rendered", db);
        await ExecuteAsync(conn, _dialect.Ddl.CreateTable(table, types.Select((t, i) => new ColumnDefinition($"c{i}", _dialect.RenderType(t))).ToList()));

        var columns = (await CatalogRows.ReadAsync(conn, _dialect.Catalog.ListColumns(table))).Select(CatalogRows.ToColumnInfo);
        Assert.Equal(types, columns.Select(_dialect.ToPortable));
    }
}
