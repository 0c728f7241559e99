using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.SqlServer;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.SqlServer;

public sealed class SqlServerCatalogFacts
{
    private readonly ICatalogQueries _catalog = new SqlServerDialect().Catalog;

    [Fact]
    public void Schemas_leave_out_system_and_role_schemas()
    {
        var q = _catalog.ListSchemas();
        Assert.Equal(
            "SELECT SCHEMA_NAME AS schema_name FROM INFORMATION_SCHEMA.SCHEMATA WHERE SCHEMA_NAME NOT IN (" +
            "'sys', 'INFORMATION_SCHEMA', 'guest', 'db_owner', 'db_accessadmin', 'db_securityadmin', 'db_ddladmin', " +
            "'db_backupoperator', 'db_datareader', 'db_datawriter', 'db_denydatareader', 'db_denydatawriter') ORDER BY SCHEMA_NAME",
            q.Sql);
        Assert.Empty(q.Parameters);
        TSqlSyntax.AssertParses(q.Sql);
    }

    [Theory]
    [InlineData(null, null, "dbo", "", "dbo")]
    [InlineData(null, "erp", null, "[erp].", null)]
    [InlineData(null, "erp", "sales", "[erp].", "sales")]
    [InlineData("usmidsql01", "erp", "dbo", "[usmidsql01].[erp].", "dbo")]
    [InlineData("usmidsql01", null, "", "[usmidsql01]..", null)]
    [InlineData("we]ird", "d]b", null, "[we]]ird].[d]]b].", null)]
    public void Tables_are_listed_from_the_INFORMATION_SCHEMA_the_qualifiers_point_at(
        string? linked, string? database, string? schema, string prefix, string? schemaParameter)
    {
        var q = _catalog.ListTables(new Dictionary<string, string?> { ["linked_server"] = linked, ["database"] = database, ["schema"] = schema });
        Assert.Equal(
            "SELECT TABLE_SCHEMA AS schema_name, TABLE_NAME AS table_name, TABLE_TYPE AS table_type " +
            $"FROM {prefix}INFORMATION_SCHEMA.TABLES WHERE @schema IS NULL OR TABLE_SCHEMA = @schema ORDER BY TABLE_SCHEMA, TABLE_NAME",
            q.Sql);
        Assert.Equal([new KeyValuePair<string, object?>("schema", schemaParameter)], q.Parameters);
        TSqlSyntax.AssertParses(q.Sql);
    }

    [Theory]
    [InlineData(null, null, null, "", null)]
    [InlineData(null, null, "sales", "", "sales")]
    [InlineData(null, "erp", null, "[erp].", "dbo")]
    [InlineData("usmidsql01", "erp", "sales", "[usmidsql01].[erp].", "sales")]
    public void Columns_are_normalised_with_max_lengths_as_null(string? linked, string? database, string? schema, string prefix, string? schemaParameter)
    {
        var q = _catalog.ListColumns(new TableName("orders", schema, database, linked));
        Assert.Equal(
            "SELECT COLUMN_NAME AS column_name, DATA_TYPE AS data_type, NULLIF(CHARACTER_MAXIMUM_LENGTH, -1) AS char_length, " +
            "CAST(NUMERIC_PRECISION AS int) AS numeric_precision, NUMERIC_SCALE AS numeric_scale, IS_NULLABLE AS is_nullable, ORDINAL_POSITION AS ordinal " +
            $"FROM {prefix}INFORMATION_SCHEMA.COLUMNS " +
            "WHERE TABLE_SCHEMA = COALESCE(@schema, SCHEMA_NAME()) AND TABLE_NAME = @table ORDER BY ORDINAL_POSITION",
            q.Sql);
        Assert.Equal([new("schema", schemaParameter), new("table", "orders")], q.Parameters);
        TSqlSyntax.AssertParses(q.Sql);
    }

    [Theory]
    [InlineData(null, null, "", null)]
    [InlineData("erp", null, "[erp].", "dbo")]
    [InlineData("erp", "stage", "[erp].", "stage")]
    public void Table_existence_is_asked_of_the_right_database(string? database, string? schema, string prefix, string? schemaParameter)
    {
        var q = _catalog.TableExists(new TableName("orders", schema, database));
        Assert.Equal(
            $"SELECT 1 FROM {prefix}INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = COALESCE(@schema, SCHEMA_NAME()) AND TABLE_NAME = @table",
            q.Sql);
        Assert.Equal([new("schema", schemaParameter), new("table", "orders")], q.Parameters);
        TSqlSyntax.AssertParses(q.Sql);
    }
}
