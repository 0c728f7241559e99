using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

public sealed class DialectSqlFacts
{
    private static ISqlDialect Dialect(string kind) => DriverRegistry.CreateDefault().Get(kind).GetDialect(null);

    [Theory]
    [InlineData("postgres", "DCORD#", "\"DCORD#\"")]
    [InlineData("duckdb", "DCORD#", "\"DCORD#\"")]
    [InlineData("sqlite", "DCORD#", "\"DCORD#\"")]
    [InlineData("postgres", "say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("sqlite", "a\"b", "\"a\"\"b\"")]
    public void Identifiers_are_double_quoted_with_embedded_quotes_doubled(string kind, string name, string quoted) =>
        Assert.Equal(quoted, Dialect(kind).QuoteIdentifier(name));

    [Theory]
    [InlineData("postgres", "sales", "orders", "\"sales\".\"orders\"")]
    [InlineData("postgres", null, "orders", "\"orders\"")]
    [InlineData("duckdb", "main", "Orders", "\"main\".\"Orders\"")]
    [InlineData("sqlite", null, "orders", "\"orders\"")]
    public void Tables_are_qualified_by_schema(string kind, string? schema, string table, string sql) =>
        Assert.Equal(sql, Dialect(kind).QualifyTable(new TableName(table, schema)));

    [Fact]
    public void Sqlite_has_no_browse_fields_and_the_others_a_schema_field()
    {
        Assert.Empty(Dialect("sqlite").BrowseFields);
        Assert.Equal(new BrowseField("schema", "Schema", false, "public"), Assert.Single(Dialect("postgres").BrowseFields));
        Assert.Equal(new BrowseField("schema", "Schema", false, "main"), Assert.Single(Dialect("duckdb").BrowseFields));
    }

    [Theory]
    [InlineData("postgres", "CREATE TABLE \"stage\".\"orders_s\" (LIKE \"sales\".\"orders\")")]
    [InlineData("duckdb", "CREATE TABLE \"stage\".\"orders_s\" AS SELECT * FROM \"sales\".\"orders\" LIMIT 0")]
    public void Staging_tables_are_created_like_the_destination(string kind, string sql) =>
        Assert.Equal(sql, Dialect(kind).Ddl.CreateTableLike(new TableName("orders_s", "stage"), new TableName("orders", "sales")));

    [Fact]
    public void Sqlite_staging_table_is_an_empty_copy() =>
        Assert.Equal("CREATE TABLE \"pk_orders\" AS SELECT * FROM \"orders\" LIMIT 0",
            Dialect("sqlite").Ddl.CreateTableLike(new TableName("pk_orders"), new TableName("orders")));

    [Theory]
    [InlineData("postgres", "ANALYZE \"pipekit_staging\".\"orders\"")]
    [InlineData("duckdb", null)]
    [InlineData("sqlite", null)]
    public void Only_PostgreSQL_analyzes_a_freshly_loaded_staging_table(string kind, string? sql) =>
        Assert.Equal(sql, Dialect(kind).Ddl.Analyze(new TableName("orders", "pipekit_staging")));

    [Theory]
    [InlineData("postgres", "TRUNCATE TABLE \"s\".\"t\"", true, true, true)]
    [InlineData("duckdb", "TRUNCATE TABLE \"s\".\"t\"", true, true, true)]
    [InlineData("sqlite", "DELETE FROM \"s\".\"t\"", true, false, false)]
    public void Emptying_a_table_uses_truncate_only_where_it_is_transactional(string kind, string sql, bool ddl, bool truncate, bool schemas)
    {
        var d = Dialect(kind).Ddl;
        Assert.Equal(sql, d.EmptyTable(new TableName("t", "s")));
        Assert.Equal(ddl, d.TransactionalDdl);
        Assert.Equal(truncate, d.TransactionalTruncate);
        Assert.Equal(schemas, d.SupportsSchemas);
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public void Drop_if_exists_and_create_table_render_quoted_columns(string kind)
    {
        var d = Dialect(kind).Ddl;
        Assert.Equal("DROP TABLE IF EXISTS \"t\"", d.DropTableIfExists(new TableName("t")));
        Assert.Equal("CREATE TABLE \"t\" (\n    \"id\" integer NOT NULL,\n    \"DCORD#\" text\n)",
            d.CreateTable(new TableName("t"), [new ColumnDefinition("id", "integer", false), new ColumnDefinition("DCORD#", "text")]));
    }

    [Theory]
    [InlineData("postgres", "CREATE SCHEMA IF NOT EXISTS \"stage\"")]
    [InlineData("duckdb", "CREATE SCHEMA IF NOT EXISTS \"stage\"")]
    public void Schemas_are_created_if_missing(string kind, string sql) =>
        Assert.Equal(sql, Dialect(kind).Ddl.CreateSchemaIfMissing("stage"));

    [Fact]
    public void Sqlite_refuses_to_create_a_schema() =>
        Assert.Throws<NotSupportedException>(() => Dialect("sqlite").Ddl.CreateSchemaIfMissing("stage"));

    [Theory]
    [InlineData("postgres", "CHAR(40)", "CUSTNM", "RTRIM(\"CUSTNM\")")]
    [InlineData("postgres", "character varying", "name", "RTRIM(\"name\")")]
    [InlineData("postgres", "character", "code", "RTRIM(\"code\")")]
    [InlineData("postgres", "text", "note", "\"note\"")]
    [InlineData("postgres", "integer", "DCORD#", "\"DCORD#\"")]
    [InlineData("postgres", "date", "day", "\"day\"")]
    [InlineData("duckdb", "VARCHAR", "name", "RTRIM(\"name\")")]
    [InlineData("duckdb", "DECIMAL(15,4)", "amt", "\"amt\"")]
    [InlineData("sqlite", "VARCHAR(20)", "name", "RTRIM(\"name\")")]
    [InlineData("sqlite", "TEXT", "name", "\"name\"")]
    public void Default_expression_trims_char_and_varchar_only(string kind, string type, string column, string expression) =>
        Assert.Equal(expression, Dialect(kind).DefaultExpression(new ColumnInfo(column, type)));

    [Theory]
    [InlineData("postgres", "SELECT 1")]
    [InlineData("duckdb", "SELECT 1")]
    [InlineData("sqlite", "SELECT 1")]
    public void The_probe_query_is_select_one(string kind, string sql) => Assert.Equal(sql, Dialect(kind).ProbeQuery);
}
