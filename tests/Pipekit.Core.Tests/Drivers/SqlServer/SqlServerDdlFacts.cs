using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.SqlServer;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.SqlServer;

public sealed class SqlServerDdlFacts
{
    private readonly IDdlDialect _ddl = new SqlServerDialect().Ddl;

    [Fact]
    public void DDL_and_TRUNCATE_roll_back_and_schemas_exist()
    {
        Assert.True(_ddl.TransactionalDdl);
        Assert.True(_ddl.TransactionalTruncate);
        Assert.True(_ddl.SupportsSchemas);
    }

    public static TheoryData<string, string> Statements => new()
    {
        { "schema", "IF SCHEMA_ID(N'staging') IS NULL EXEC(N'CREATE SCHEMA [staging]')" },
        { "drop", "DROP TABLE IF EXISTS [staging].[orders]" },
        { "like", "SELECT TOP 0 * INTO [staging].[orders] FROM [sales].[orders]" },
        { "like-db", "SELECT TOP 0 * INTO [staging].[orders] FROM [erp].[dbo].[orders]" },
        { "create", "CREATE TABLE [staging].[orders] ([id] bigint NOT NULL, [name] nvarchar(max) NULL, [amount] decimal(15,4) NULL)" },
        { "empty", "TRUNCATE TABLE [sales].[orders]" },
        { "schema-quotes", "IF SCHEMA_ID(N'o''brien]x') IS NULL EXEC(N'CREATE SCHEMA [o''brien]]x]')" },
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void DDL_is_generated_as_exact_text_that_parses(string statement, string expected)
    {
        var staging = new TableName("orders", "staging");
        var target = new TableName("orders", "sales");
        var sql = statement switch
        {
            "schema" => _ddl.CreateSchemaIfMissing("staging"),
            "drop" => _ddl.DropTableIfExists(staging),
            "like" => _ddl.CreateTableLike(staging, target),
            "like-db" => _ddl.CreateTableLike(staging, new TableName("orders", Database: "erp")),
            "create" => _ddl.CreateTable(staging, [new("id", "bigint", Nullable: false), new("name", "nvarchar(max)"), new("amount", "decimal(15,4)")]),
            "empty" => _ddl.EmptyTable(target),
            "schema-quotes" => _ddl.CreateSchemaIfMissing("o'brien]x"),
            _ => throw new ArgumentOutOfRangeException(nameof(statement)),
        };
        Assert.Equal(expected, sql);
        TSqlSyntax.AssertParses(sql);
    }

    [Fact]
    public void The_schema_created_by_EXEC_is_itself_valid_T_SQL() =>
        // what EXEC runs once SQL Server has unescaped the N'...' literal
        TSqlSyntax.AssertParses("CREATE SCHEMA [o'brien]]x]");

    [Fact]
    public void A_table_without_columns_is_refused() =>
        Assert.Throws<ArgumentException>(() => _ddl.CreateTable(new TableName("t"), []));
}
