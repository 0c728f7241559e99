using Pipekit.Core.Drivers;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

[Collection(PostgresCollection.Name)]
public sealed class IntrospectorFacts(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private async Task<(TestDatabases Dbs, ResolvedConnection Conn, TableName Orders)> SetUpAsync(string kind)
    {
        var dbs = new TestDatabases(postgres, _dir);
        var conn = await dbs.CreateAsync(kind);
        if (kind == "sqlite")
        {
            await dbs.ExecuteAsync(conn,
                "CREATE TABLE orders (\"DCORD#\" INTEGER NOT NULL, amount DECIMAL(15,4), name VARCHAR(40), code CHAR(3), created DATETIME)",
                "CREATE VIEW v AS SELECT 1 AS x");
            return (dbs, conn, new TableName("orders"));
        }
        await dbs.ExecuteAsync(conn,
            "CREATE SCHEMA sales",
            "CREATE TABLE sales.orders (\"DCORD#\" integer NOT NULL, amount numeric(15,4), name varchar(40), code char(3), created timestamptz)",
            "CREATE VIEW sales.v AS SELECT 1 AS x",
            "CREATE TABLE other (y integer)");
        return (dbs, conn, new TableName("orders", "sales"));
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task Tables_and_views_are_listed_with_their_type(string kind)
    {
        var (dbs, conn, orders) = await SetUpAsync(kind);
        await using var db = await dbs.OpenAsync(conn);
        var introspector = new Introspector(db, dbs.Drivers.Get(kind).GetDialect(null));

        var qualifiers = new Dictionary<string, string?> { ["schema"] = orders.Schema };
        var tables = await introspector.ListTablesAsync(qualifiers, CancellationToken.None);

        Assert.Equal([("orders", false), ("v", true)], tables.Select(t => (t.Name, t.IsView)));
        Assert.All(tables, t => Assert.Equal(orders.Schema, t.Schema));
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    public async Task Schemas_are_listed_without_the_engines_own(string kind)
    {
        var (dbs, conn, _) = await SetUpAsync(kind);
        await using var db = await dbs.OpenAsync(conn);
        var schemas = (await new Introspector(db, dbs.Drivers.Get(kind).GetDialect(null)).ListSchemasAsync(CancellationToken.None))
            .Select(s => s.Name).ToList();

        Assert.Contains("sales", schemas);
        Assert.Contains(kind == "postgres" ? "public" : "main", schemas);
        Assert.DoesNotContain("information_schema", schemas);
        Assert.DoesNotContain("pg_catalog", schemas);
        Assert.DoesNotContain("pg_toast", schemas);
    }

    [PostgresTheory]
    [InlineData("postgres", "integer", "numeric", "character varying", "character", "timestamp with time zone")]
    [InlineData("duckdb", "INTEGER", "DECIMAL(15,4)", "VARCHAR", "VARCHAR", "TIMESTAMP WITH TIME ZONE")]
    [InlineData("sqlite", "INTEGER", "DECIMAL(15,4)", "VARCHAR(40)", "CHAR(3)", "DATETIME")]
    public async Task Columns_come_back_in_order_with_type_precision_scale_and_nullability(string kind, string t1, string t2, string t3, string t4, string t5)
    {
        var (dbs, conn, orders) = await SetUpAsync(kind);
        await using var db = await dbs.OpenAsync(conn);
        var columns = await new Introspector(db, dbs.Drivers.Get(kind).GetDialect(null)).GetColumnsAsync(orders, CancellationToken.None);

        Assert.Equal(["DCORD#", "amount", "name", "code", "created"], columns.Select(c => c.Name));
        Assert.Equal([t1, t2, t3, t4, t5], columns.Select(c => c.DataType));
        Assert.Equal([1, 2, 3, 4, 5], columns.Select(c => c.Ordinal));
        Assert.False(columns[0].Nullable);
        Assert.True(columns[1].Nullable);
        Assert.Equal((15, 4), (columns[1].Precision, columns[1].Scale));
        if (kind != "duckdb") Assert.Equal(40, columns[2].Length);
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task Table_exists_is_true_only_for_an_existing_table(string kind)
    {
        var (dbs, conn, orders) = await SetUpAsync(kind);
        await using var db = await dbs.OpenAsync(conn);
        var introspector = new Introspector(db, dbs.Drivers.Get(kind).GetDialect(null));

        Assert.True(await introspector.TableExistsAsync(orders, CancellationToken.None));
        Assert.False(await introspector.TableExistsAsync(orders with { Table = "nope" }, CancellationToken.None));
        Assert.Empty(await introspector.GetColumnsAsync(orders with { Table = "nope" }, CancellationToken.None));
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    public async Task A_table_without_schema_is_looked_up_in_the_current_schema(string kind)
    {
        var (dbs, conn, _) = await SetUpAsync(kind);
        await using var db = await dbs.OpenAsync(conn);
        var introspector = new Introspector(db, dbs.Drivers.Get(kind).GetDialect(null));

        Assert.True(await introspector.TableExistsAsync(new TableName("other"), CancellationToken.None));
        Assert.Equal("y", Assert.Single(await introspector.GetColumnsAsync(new TableName("other"), CancellationToken.None)).Name);
    }
}
