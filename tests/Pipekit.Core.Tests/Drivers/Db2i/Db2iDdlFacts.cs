using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Db2i;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Db2i;

public sealed class Db2iDdlFacts
{
    private readonly IDdlDialect _ddl = new Db2iDialect().Ddl;

    [Fact]
    public void DDL_is_transactional_but_truncate_is_not_and_schemas_exist()
    {
        Assert.True(_ddl.TransactionalDdl);
        Assert.False(_ddl.TransactionalTruncate);
        Assert.True(_ddl.SupportsSchemas);
    }

    [Fact]
    public void CreateSchemaIfMissing_ignores_only_the_already_exists_state() =>
        Assert.Equal(
            "BEGIN\n" +
            "  DECLARE IGNORED SMALLINT DEFAULT 0;\n" +
            "  DECLARE CONTINUE HANDLER FOR SQLSTATE '42710' SET IGNORED = 1;\n" +
            "  EXECUTE IMMEDIATE 'CREATE SCHEMA \"STAGING\"';\n" +
            "END",
            _ddl.CreateSchemaIfMissing("STAGING"));

    [Fact]
    public void DropTableIfExists_ignores_only_the_not_found_state_and_escapes_quotes() =>
        Assert.Equal(
            "BEGIN\n" +
            "  DECLARE IGNORED SMALLINT DEFAULT 0;\n" +
            "  DECLARE CONTINUE HANDLER FOR SQLSTATE '42704' SET IGNORED = 1;\n" +
            "  EXECUTE IMMEDIATE 'DROP TABLE \"STAGING\".\"O''BRIEN\"';\n" +
            "END",
            _ddl.DropTableIfExists(new TableName("O'BRIEN", "STAGING")));

    [Fact]
    public void CreateTableLike_copies_the_columns_of_the_other_table() =>
        Assert.Equal(
            "CREATE TABLE \"STAGING\".\"QCRH_STG\" LIKE \"S7830956\".\"QCRH\"",
            _ddl.CreateTableLike(new TableName("QCRH_STG", "STAGING"), new TableName("QCRH", "S7830956")));

    [Fact]
    public void CreateTable_lists_quoted_columns_with_not_null_where_asked() =>
        Assert.Equal(
            "CREATE TABLE \"STAGING\".\"ORDERS\" (\"DCORD#\" DECIMAL(7,0) NOT NULL, \"DCNAME\" NVARCHAR(40))",
            _ddl.CreateTable(new TableName("ORDERS", "STAGING"),
                [new ColumnDefinition("DCORD#", "DECIMAL(7,0)", Nullable: false), new ColumnDefinition("DCNAME", "NVARCHAR(40)")]));

    [Fact]
    public void EmptyTable_deletes_because_truncate_is_not_transactional() =>
        Assert.Equal("DELETE FROM \"STAGING\".\"ORDERS\"", _ddl.EmptyTable(new TableName("ORDERS", "STAGING")));
}
