using Pipekit.Sync.Modules;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Modules;

/// <summary>Apply says plainly what it does not do to destinations, and warns when two modules write one table.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DestinationCheckFacts(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task A_widened_dest_type_on_postgres_is_reported_with_the_exact_alter_and_the_evolve_rule()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddPostgresAsync("dst", postgres);
        var table = $"widened_{Guid.NewGuid():N}"[..20];
        await h.ExecuteAsync(dest, $"CREATE TABLE {table} (id integer, amount numeric(4,2))");
        var module = await h.SaveModuleAsync(Widened(source.Id, dest.Id, table, "numeric(12,2)"));

        var warnings = await h.Get<DestinationCheck>().WarningsAsync(["widened"], CancellationToken.None);

        Assert.Equal(
            $"module 'widened': column amount is declared numeric(12,2) but is numeric(4,2) in {table} on 'dst'; apply does not alter existing tables: "
            + $"run ALTER TABLE \"{table}\" ALTER COLUMN \"amount\" TYPE numeric(12,2), or set schema_change = \"evolve\" on the module and the next run widens it",
            Assert.Single(warnings));

        await h.SaveModuleAsync(await h.ReloadAsync(module) with { SchemaChange = SchemaChangeRule.Evolve });
        var evolving = await h.Get<DestinationCheck>().WarningsAsync(["widened"], CancellationToken.None);
        Assert.Equal(
            $"module 'widened': column amount is declared numeric(12,2) but is numeric(4,2) in {table} on 'dst'; apply does not alter existing tables: "
            + $"the next run widens it (schema_change = \"evolve\") with: ALTER TABLE \"{table}\" ALTER COLUMN \"amount\" TYPE numeric(12,2)",
            Assert.Single(evolving));
    }

    [PostgresFact]
    public async Task A_dest_type_of_another_kind_on_postgres_is_never_converted_and_the_alter_is_named()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddPostgresAsync("dst", postgres);
        var table = $"kind_{Guid.NewGuid():N}"[..20];
        await h.ExecuteAsync(dest, $"CREATE TABLE {table} (id integer, amount numeric(4,2))");
        await h.SaveModuleAsync(Widened(source.Id, dest.Id, table, "text") with { SchemaChange = SchemaChangeRule.Evolve });

        var warnings = await h.Get<DestinationCheck>().WarningsAsync(["widened"], CancellationToken.None);

        Assert.Equal(
            $"module 'widened': column amount is declared text but is numeric(4,2) in {table} on 'dst'; apply does not alter existing tables and no run converts "
            + $"a column to another kind: if the change is safe, run: ALTER TABLE \"{table}\" ALTER COLUMN \"amount\" TYPE text",
            Assert.Single(warnings));
    }

    [Fact]
    public async Task A_widened_dest_type_on_sqlite_needs_nothing_but_another_kind_says_to_recreate_the_table()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddSqliteAsync("dst");
        await h.ExecuteAsync(dest, "CREATE TABLE widened (id integer, amount numeric(4,2))");
        var module = await h.SaveModuleAsync(Widened(source.Id, dest.Id, "widened", "numeric(12,2)"));

        // SQLite does not enforce declared widths: the existing column holds the wider values as they are.
        Assert.Empty(await h.Get<DestinationCheck>().WarningsAsync(["widened"], CancellationToken.None));

        await h.SaveModuleAsync(await h.ReloadAsync(module) with { Columns = [new("id", null, "id", "integer"), new("amount", null, "amount", "blob")] });
        Assert.Equal(
            "module 'widened': column amount is declared blob but is numeric(4,2) in widened on 'dst'; apply does not alter existing tables and this engine "
            + "cannot change a column's type in place: drop the table and let the next run create it from the declared columns",
            Assert.Single(await h.Get<DestinationCheck>().WarningsAsync(["widened"], CancellationToken.None)));
    }

    private static Module Widened(long source, long dest, string table, string amountType) => new()
    {
        Name = "widened", SourceConnectionId = source, DestConnectionId = dest, DestTable = table,
        SourceQuery = "SELECT 1 AS id, 2.5 AS amount", MergeStrategy = MergeStrategy.Full,
        Columns = [new("id", null, "id", "int4"), new("amount", null, "amount", amountType)],
    };

    [Fact]
    public async Task Two_modules_writing_one_destination_table_get_one_warning_naming_both()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddSqliteAsync("dst");
        foreach (var (name, table) in new[] { ("orders", "orders"), ("orders_again", "ORDERS"), ("other", "other") })
            await h.SaveModuleAsync(new Module
            {
                Name = name, SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = table,
                SourceQuery = "SELECT 1 AS id", MergeStrategy = MergeStrategy.Full,
            });

        var warnings = await h.Get<DestinationCheck>().WarningsAsync(["orders", "orders_again", "other"], CancellationToken.None);

        Assert.Equal(
            "modules 'orders', 'orders_again' all write orders on 'dst': each run merges over (or, for full, replaces) the others' rows; give each module its own dest_table unless that is intended",
            Assert.Single(warnings));
    }

    [Theory]
    [InlineData("numeric(12,2)", "numeric(12,2)", true)]
    [InlineData("DECIMAL(12, 2)", "numeric(12,2)", true)]
    [InlineData("int4", "integer", true)]
    [InlineData("varchar(20)", "character varying(20)", true)]
    [InlineData("NUMERIC", "numeric(10,2)", true)]
    [InlineData("numeric(12,2)", "numeric(4,2)", false)]
    [InlineData("text", "integer", false)]
    public void Declared_and_existing_types_compare_through_synonyms_and_sizes(string declared, string existing, bool same) =>
        Assert.Equal(same, DestinationCheck.SameType(declared, existing));
}
