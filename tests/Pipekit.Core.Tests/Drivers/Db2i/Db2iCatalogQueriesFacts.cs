using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Db2i;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Db2i;

public sealed class Db2iCatalogQueriesFacts
{
    private readonly ICatalogQueries _catalog = new Db2iDialect().Catalog;

    [Fact]
    public void ListSchemas_reads_the_schema_catalog()
    {
        var query = _catalog.ListSchemas();
        Assert.Equal("SELECT SCHEMA_NAME AS \"schema_name\" FROM QSYS2.SYSSCHEMAS ORDER BY SCHEMA_NAME", query.Sql);
        Assert.Empty(query.Parameters);
    }

    [Fact]
    public void ListTables_filters_by_schema_with_a_positional_parameter()
    {
        var query = _catalog.ListTables(new Dictionary<string, string?> { ["schema"] = " S7830956 " });
        Assert.Equal(
            "SELECT TABLE_SCHEMA AS \"schema_name\", TABLE_NAME AS \"table_name\", " +
            "CASE TABLE_TYPE WHEN 'V' THEN 'VIEW' WHEN 'L' THEN 'VIEW' WHEN 'A' THEN 'ALIAS' ELSE 'BASE TABLE' END AS \"table_type\" " +
            "FROM QSYS2.SYSTABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
            query.Sql);
        Assert.Equal([new KeyValuePair<string, object?>("schema", "S7830956")], query.Parameters);
    }

    [Fact]
    public void ListTables_without_a_schema_says_it_is_required()
    {
        var error = Assert.Throws<DriverException>(() => _catalog.ListTables(new Dictionary<string, string?>()));
        Assert.Contains("schema", error.Message);
    }

    [Fact]
    public void ListColumns_returns_the_normalised_columns_in_ordinal_order()
    {
        var query = _catalog.ListColumns(new TableName("QCRH", "S7830956"));
        Assert.Equal(
            "SELECT COLUMN_NAME AS \"column_name\", " +
            "CASE WHEN DATA_TYPE IN ('CHAR', 'VARCHAR') AND CCSID = 65535 THEN DATA_TYPE || ' FOR BIT DATA' " +
            "WHEN DATA_TYPE = 'FLOAT' AND LENGTH = 4 THEN 'REAL' WHEN DATA_TYPE = 'FLOAT' THEN 'DOUBLE' ELSE DATA_TYPE END AS \"data_type\", " +
            "CASE WHEN DATA_TYPE IN ('CHAR', 'VARCHAR', 'GRAPHIC', 'VARG', 'CLOB', 'DBCLOB', 'BINARY', 'VARBIN', 'BLOB') THEN LENGTH END AS \"char_length\", " +
            "CASE WHEN DATA_TYPE IN ('DECIMAL', 'NUMERIC') THEN LENGTH END AS \"numeric_precision\", " +
            "NUMERIC_SCALE AS \"numeric_scale\", " +
            "CASE IS_NULLABLE WHEN 'Y' THEN 'YES' ELSE 'NO' END AS \"is_nullable\", " +
            "ORDINAL_POSITION AS \"ordinal\" " +
            "FROM QSYS2.SYSCOLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
            query.Sql);
        Assert.Equal(
            [new KeyValuePair<string, object?>("schema", "S7830956"), new KeyValuePair<string, object?>("table", "QCRH")],
            query.Parameters);
    }

    [Fact]
    public void TableExists_looks_the_table_up_in_its_schema()
    {
        var query = _catalog.TableExists(new TableName("QCRH", "S7830956"));
        Assert.Equal("SELECT 1 FROM QSYS2.SYSTABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?", query.Sql);
        Assert.Equal(["S7830956", "QCRH"], query.Parameters.Select(p => p.Value));
    }

    [Fact]
    public void TableExists_without_a_schema_uses_the_current_schema()
    {
        var query = _catalog.TableExists(new TableName("QCRH"));
        Assert.Equal("SELECT 1 FROM QSYS2.SYSTABLES WHERE TABLE_SCHEMA = CURRENT SCHEMA AND TABLE_NAME = ?", query.Sql);
        Assert.Equal([new KeyValuePair<string, object?>("table", "QCRH")], query.Parameters);
    }
}
