using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.MySql;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.MySql;

public sealed class MySqlDdlFacts
{
    private readonly IDdlDialect _ddl = new MySqlDialect().Ddl;

    [Fact]
    public void DDL_and_TRUNCATE_do_not_roll_back_but_schemas_exist_as_databases()
    {
        Assert.False(_ddl.TransactionalDdl);
        Assert.False(_ddl.TransactionalTruncate);
        Assert.True(_ddl.SupportsSchemas);
    }

    public static TheoryData<string, string> Statements => new()
    {
        { "schema", "CREATE DATABASE IF NOT EXISTS `staging` CHARACTER SET utf8mb4" },
        { "drop", "DROP TABLE IF EXISTS `staging`.`orders`" },
        { "like", "CREATE TABLE `staging`.`orders` LIKE `sales`.`orders`" },
        { "create", "CREATE TABLE `staging`.`orders` (`id` bigint NOT NULL, `name` longtext NULL, `amount` decimal(15,4) NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4" },
        { "empty", "DELETE FROM `sales`.`orders`" },
    };

    [Theory]
    [MemberData(nameof(Statements))]
    public void DDL_is_generated_as_exact_text(string statement, string expected)
    {
        var staging = new TableName("orders", "staging");
        var target = new TableName("orders", "sales");
        var sql = statement switch
        {
            "schema" => _ddl.CreateSchemaIfMissing("staging"),
            "drop" => _ddl.DropTableIfExists(staging),
            "like" => _ddl.CreateTableLike(staging, target),
            "create" => _ddl.CreateTable(staging, [new("id", "bigint", Nullable: false), new("name", "longtext"), new("amount", "decimal(15,4)")]),
            "empty" => _ddl.EmptyTable(target),
            _ => throw new ArgumentOutOfRangeException(nameof(statement)),
        };
        Assert.Equal(expected, sql);
    }

    [Fact]
    public void A_table_without_columns_is_refused() =>
        Assert.Throws<ArgumentException>(() => _ddl.CreateTable(new TableName("t"), []));

    [Fact]
    public void Identifiers_in_DDL_are_quoted() =>
        Assert.Equal("DROP TABLE IF EXISTS `a``b`.`c``d`", _ddl.DropTableIfExists(new TableName("c`d", "a`b")));
}
