using Pipekit.Core.Drivers;
using Pipekit.Sync.Merge;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Xunit;

namespace Pipekit.Sync.Tests.Merge;

/// <summary>The merge SQL of every strategy in every dialect, as exact text, built with the drivers' own dialects.</summary>
public sealed class MergeSqlBuilderFacts
{
    private static readonly DriverRegistry Drivers = DriverRegistry.CreateDefault();
    private static readonly string[] Columns = ["region", "order_no", "qty"];
    private static readonly string[] MergeKey = ["region", "order_no"];

    public static TheoryData<string, MergeStrategy, string> Plans => new()
    {
        {
            "postgres", MergeStrategy.Full,
            """
            TRUNCATE TABLE "sales"."orders";
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
        {
            "postgres", MergeStrategy.Incremental,
            """
            DELETE FROM "sales"."orders" WHERE EXISTS (SELECT 1 FROM "pipekit_staging"."orders_sync" s WHERE s."region" = "sales"."orders"."region" AND s."order_no" = "sales"."orders"."order_no");
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
        {
            "postgres", MergeStrategy.Append,
            """
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
        {
            "duckdb", MergeStrategy.Full,
            """
            TRUNCATE TABLE "sales"."orders";
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
        {
            "duckdb", MergeStrategy.Incremental,
            """
            DELETE FROM "sales"."orders" WHERE EXISTS (SELECT 1 FROM "pipekit_staging"."orders_sync" s WHERE s."region" = "sales"."orders"."region" AND s."order_no" = "sales"."orders"."order_no");
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
        {
            "duckdb", MergeStrategy.Append,
            """
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
        {
            "sqlite", MergeStrategy.Full,
            """
            DELETE FROM "orders";
            INSERT INTO "orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging__orders_sync";
            """
        },
        {
            "sqlite", MergeStrategy.Incremental,
            """
            DELETE FROM "orders" WHERE EXISTS (SELECT 1 FROM "pipekit_staging__orders_sync" s WHERE s."region" = "orders"."region" AND s."order_no" = "orders"."order_no");
            INSERT INTO "orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging__orders_sync";
            """
        },
        {
            "sqlite", MergeStrategy.Append,
            """
            INSERT INTO "orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging__orders_sync";
            """
        },
        {
            "sqlserver", MergeStrategy.Full,
            """
            TRUNCATE TABLE [sales].[orders];
            INSERT INTO [sales].[orders] ([region], [order_no], [qty]) SELECT [region], [order_no], [qty] FROM [pipekit_staging].[orders_sync];
            """
        },
        {
            "sqlserver", MergeStrategy.Incremental,
            """
            DELETE FROM [sales].[orders] WHERE EXISTS (SELECT 1 FROM [pipekit_staging].[orders_sync] s WHERE s.[region] = [sales].[orders].[region] AND s.[order_no] = [sales].[orders].[order_no]);
            INSERT INTO [sales].[orders] ([region], [order_no], [qty]) SELECT [region], [order_no], [qty] FROM [pipekit_staging].[orders_sync];
            """
        },
        {
            "sqlserver", MergeStrategy.Append,
            """
            INSERT INTO [sales].[orders] ([region], [order_no], [qty]) SELECT [region], [order_no], [qty] FROM [pipekit_staging].[orders_sync];
            """
        },
        {
            // TRUNCATE is DDL in MySQL and commits the merge's transaction, so a full merge empties with DELETE.
            "mysql", MergeStrategy.Full,
            """
            DELETE FROM `sales`.`orders`;
            INSERT INTO `sales`.`orders` (`region`, `order_no`, `qty`) SELECT `region`, `order_no`, `qty` FROM `pipekit_staging`.`orders_sync`;
            """
        },
        {
            "mysql", MergeStrategy.Incremental,
            """
            DELETE FROM `sales`.`orders` WHERE EXISTS (SELECT 1 FROM `pipekit_staging`.`orders_sync` s WHERE s.`region` = `sales`.`orders`.`region` AND s.`order_no` = `sales`.`orders`.`order_no`);
            INSERT INTO `sales`.`orders` (`region`, `order_no`, `qty`) SELECT `region`, `order_no`, `qty` FROM `pipekit_staging`.`orders_sync`;
            """
        },
        {
            "mysql", MergeStrategy.Append,
            """
            INSERT INTO `sales`.`orders` (`region`, `order_no`, `qty`) SELECT `region`, `order_no`, `qty` FROM `pipekit_staging`.`orders_sync`;
            """
        },
        {
            // DB2 for i through the odbc driver's default dialect: no transactional TRUNCATE, so DELETE.
            "odbc", MergeStrategy.Full,
            """
            DELETE FROM "sales"."orders";
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
        {
            "odbc", MergeStrategy.Incremental,
            """
            DELETE FROM "sales"."orders" WHERE EXISTS (SELECT 1 FROM "pipekit_staging"."orders_sync" s WHERE s."region" = "sales"."orders"."region" AND s."order_no" = "sales"."orders"."order_no");
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
        {
            "odbc", MergeStrategy.Append,
            """
            INSERT INTO "sales"."orders" ("region", "order_no", "qty") SELECT "region", "order_no", "qty" FROM "pipekit_staging"."orders_sync";
            """
        },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void Merge_sql_is_the_strategys_template_in_the_destination_dialect(string driver, MergeStrategy strategy, string expected)
    {
        var dialect = Drivers.Get(driver).GetDialect(null);
        // SQLite has no schemas, so its destination is a bare table, as a SQLite module would name it.
        var destination = dialect.Ddl.SupportsSchemas ? new TableName("orders", "sales") : new TableName("orders");

        var plan = MergeSqlBuilder.Build(dialect, strategy, destination, StagingTable.For("orders_sync", dialect.Ddl), Columns, MergeKey);

        Assert.Equal(expected, plan.Text);
        Assert.Equal(plan.Text, string.Join(";\n", plan.Statements) + ";");
    }

    [Theory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    [InlineData("odbc")]
    public void Identifiers_with_quotes_are_escaped_by_the_dialect(string driver)
    {
        var dialect = Drivers.Get(driver).GetDialect(null);

        var plan = MergeSqlBuilder.Build(dialect, MergeStrategy.Append, new TableName("odd\"table"), new TableName("stage"), ["a\"b"], []);

        Assert.Equal("""INSERT INTO "odd""table" ("a""b") SELECT "a""b" FROM "stage";""", plan.Text);
    }

    [Fact]
    public void Sql_server_escapes_a_closing_bracket_by_doubling_it()
    {
        var dialect = Drivers.Get("sqlserver").GetDialect(null);

        var plan = MergeSqlBuilder.Build(dialect, MergeStrategy.Append, new TableName("odd]table", "dbo"), new TableName("stage", "pipekit_staging"), ["a]b"], []);

        Assert.Equal("INSERT INTO [dbo].[odd]]table] ([a]]b]) SELECT [a]]b] FROM [pipekit_staging].[stage];", plan.Text);
        TSqlSyntax.AssertParses(plan.Text);
    }

    [Fact]
    public void Mysql_escapes_a_backtick_by_doubling_it()
    {
        var dialect = Drivers.Get("mysql").GetDialect(null);

        var plan = MergeSqlBuilder.Build(dialect, MergeStrategy.Append, new TableName("odd`table"), new TableName("stage"), ["a`b"], []);

        Assert.Equal("INSERT INTO `odd``table` (`a``b`) SELECT `a``b` FROM `stage`;", plan.Text);
    }

    [Theory]
    [InlineData(MergeStrategy.Full)]
    [InlineData(MergeStrategy.Incremental)]
    [InlineData(MergeStrategy.Append)]
    public void Sql_server_merge_sql_parses_as_t_sql(MergeStrategy strategy)
    {
        var dialect = Drivers.Get("sqlserver").GetDialect(null);
        // a destination with a database and a key with spaces and brackets, the shapes most likely to break the syntax
        var destination = new TableName("order lines]", "sales", "warehouse");
        string[] columns = ["region", "order no", "qty"];

        var plan = MergeSqlBuilder.Build(dialect, strategy, destination, StagingTable.For("orders_sync", dialect.Ddl), columns, ["region", "order no"]);

        TSqlSyntax.AssertParses(plan.Text);
        foreach (var statement in plan.Statements) TSqlSyntax.AssertParses(statement);
    }

    [Fact]
    public void An_incremental_merge_without_a_key_is_refused()
    {
        var dialect = Drivers.Get("postgres").GetDialect(null);

        var ex = Assert.Throws<ArgumentException>(() =>
            MergeSqlBuilder.Build(dialect, MergeStrategy.Incremental, new TableName("t"), new TableName("s"), ["a"], []));

        Assert.Contains("merge key", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_merge_without_columns_is_refused()
    {
        var dialect = Drivers.Get("postgres").GetDialect(null);

        Assert.Throws<ArgumentException>(() => MergeSqlBuilder.Build(dialect, MergeStrategy.Full, new TableName("t"), new TableName("s"), [], []));
    }
}
