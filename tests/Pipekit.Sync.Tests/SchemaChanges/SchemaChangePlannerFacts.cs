using Pipekit.Core.Drivers;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.SchemaChanges;
using Xunit;

namespace Pipekit.Sync.Tests.SchemaChanges;

/// <summary>Which ALTERs each schema_change rule plans, as text, and what it refuses.</summary>
public sealed class SchemaChangePlannerFacts
{
    private static readonly ISqlDialect Postgres = DriverRegistry.CreateDefault().Get("postgres").GetDialect(null);
    private static readonly TableName Orders = new("orders", "sales");
    private static readonly ColumnInfo[] Existing =
    [
        new("id", "integer"), new("note", "character varying", Length: 10), new("amount", "numeric", Precision: 8, Scale: 2),
    ];

    [Fact]
    public void Fail_names_the_missing_column_and_the_alter_that_adds_it()
    {
        var ex = Assert.Throws<SyncException>(() => SchemaChangePlanner.Plan(SchemaChangeRule.Fail, Postgres, Orders,
            [new WantedColumn("id", "integer"), new WantedColumn("region", "text")], Existing));

        Assert.Equal("column 'region' is missing from sales.orders; add it (ALTER TABLE \"sales\".\"orders\" ADD COLUMN \"region\" text) or set schema_change = \"add_columns\"",
            ex.Message);
    }

    [Fact]
    public void Add_columns_adds_only_missing_columns_and_widens_nothing()
    {
        var plan = SchemaChangePlanner.Plan(SchemaChangeRule.AddColumns, Postgres, Orders,
            [new WantedColumn("id", "bigint"), new WantedColumn("note", "varchar(40)"), new WantedColumn("region", "text")], Existing);

        Assert.Equal(["ALTER TABLE \"sales\".\"orders\" ADD COLUMN \"region\" text"], plan);
    }

    [Fact]
    public void Evolve_widens_integers_text_lengths_and_numeric_precision()
    {
        var plan = SchemaChangePlanner.Plan(SchemaChangeRule.Evolve, Postgres, Orders,
            [new WantedColumn("id", "bigint"), new WantedColumn("note", "varchar(40)"), new WantedColumn("amount", "numeric(12,4)")], Existing);

        Assert.Equal(
        [
            "ALTER TABLE \"sales\".\"orders\" ALTER COLUMN \"id\" TYPE bigint",
            "ALTER TABLE \"sales\".\"orders\" ALTER COLUMN \"note\" TYPE varchar(40)",
            "ALTER TABLE \"sales\".\"orders\" ALTER COLUMN \"amount\" TYPE numeric(12,4)",
        ], plan);
    }

    [Fact]
    public void Evolve_never_narrows()
    {
        var plan = SchemaChangePlanner.Plan(SchemaChangeRule.Evolve, Postgres, Orders,
            [new WantedColumn("id", "smallint"), new WantedColumn("note", "varchar(5)"), new WantedColumn("amount", "numeric(6,1)")], Existing);

        Assert.Empty(plan);
    }

    [Fact]
    public void Evolve_refuses_a_change_of_kind_with_the_exact_alter_a_user_could_run()
    {
        var ex = Assert.Throws<SyncException>(() => SchemaChangePlanner.Plan(SchemaChangeRule.Evolve, Postgres, Orders,
            [new WantedColumn("id", "text")], Existing));

        Assert.Contains("is not a widening", ex.Message);
        Assert.EndsWith("If the change is safe, run: ALTER TABLE \"sales\".\"orders\" ALTER COLUMN \"id\" TYPE text", ex.Message);
    }
}
