using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.MySql;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.MySql;

public sealed class MySqlCatalogFacts
{
    private readonly ICatalogQueries _catalog = new MySqlDialect().Catalog;

    [Fact]
    public void Schemas_are_the_user_databases()
    {
        var q = _catalog.ListSchemas();
        Assert.Equal(
            "SELECT SCHEMA_NAME AS schema_name FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys') ORDER BY SCHEMA_NAME",
            q.Sql);
        Assert.Empty(q.Parameters);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" sales ", "sales")]
    public void Tables_are_filtered_by_the_schema_qualifier_when_given(string? given, string? expected)
    {
        var q = _catalog.ListTables(new Dictionary<string, string?> { ["schema"] = given });
        Assert.Equal(
            "SELECT TABLE_SCHEMA AS schema_name, TABLE_NAME AS table_name, TABLE_TYPE AS table_type FROM INFORMATION_SCHEMA.TABLES " +
            "WHERE (@schema IS NULL AND TABLE_SCHEMA NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys')) OR TABLE_SCHEMA = @schema ORDER BY TABLE_SCHEMA, TABLE_NAME",
            q.Sql);
        Assert.Equal([new KeyValuePair<string, object?>("schema", expected)], q.Parameters);
    }

    [Fact]
    public void Columns_come_from_COLUMN_TYPE_with_MariaDB_json_recognised_by_its_check_constraint()
    {
        var q = _catalog.ListColumns(new TableName("orders", "sales"));
        Assert.Equal(
            "SELECT c.COLUMN_NAME AS column_name, " +
            "CASE WHEN c.DATA_TYPE = 'longtext' AND EXISTS (SELECT 1 FROM INFORMATION_SCHEMA.TABLE_CONSTRAINTS tc " +
            "JOIN INFORMATION_SCHEMA.CHECK_CONSTRAINTS cc ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME " +
            "WHERE tc.TABLE_SCHEMA = c.TABLE_SCHEMA AND tc.TABLE_NAME = c.TABLE_NAME AND tc.CONSTRAINT_TYPE = 'CHECK' " +
            "AND cc.CHECK_CLAUSE = CONCAT('json_valid(`', c.COLUMN_NAME, '`)')) THEN 'json' ELSE c.COLUMN_TYPE END AS data_type, " +
            "CAST(CASE WHEN c.CHARACTER_MAXIMUM_LENGTH > 2147483647 THEN NULL ELSE c.CHARACTER_MAXIMUM_LENGTH END AS SIGNED) AS char_length, " +
            "CAST(c.NUMERIC_PRECISION AS SIGNED) AS numeric_precision, CAST(c.NUMERIC_SCALE AS SIGNED) AS numeric_scale, " +
            "c.IS_NULLABLE AS is_nullable, CAST(c.ORDINAL_POSITION AS SIGNED) AS ordinal " +
            "FROM INFORMATION_SCHEMA.COLUMNS c WHERE c.TABLE_SCHEMA = COALESCE(@schema, DATABASE()) AND c.TABLE_NAME = @table " +
            "ORDER BY c.ORDINAL_POSITION",
            q.Sql);
        Assert.Equal([new("schema", "sales"), new("table", "orders")], q.Parameters);
    }

    [Fact]
    public void A_table_without_a_schema_is_looked_up_in_the_current_database()
    {
        var q = _catalog.TableExists(new TableName("orders"));
        Assert.Equal("SELECT 1 FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = COALESCE(@schema, DATABASE()) AND TABLE_NAME = @table", q.Sql);
        Assert.Equal([new("schema", null), new("table", "orders")], q.Parameters);
    }
}
