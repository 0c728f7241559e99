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
    public async Task A_widened_dest_type_is_reported_with_how_to_alter_the_existing_table()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddPostgresAsync("dst", postgres);
        var table = $"widened_{Guid.NewGuid():N}"[..20];
        await h.ExecuteAsync(dest, $"CREATE TABLE {table} (id integer, amount numeric(4,2))");
        await h.SaveModuleAsync(new Module
        {
            Name = "widened", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = table,
            SourceQuery = "SELECT 1 AS id, 2.5 AS amount", MergeStrategy = MergeStrategy.Full,
            Columns = [new("id", null, "id", "int4"), new("amount", null, "amount", "numeric(12,2)")],
        });

        var warnings = await h.Get<DestinationCheck>().WarningsAsync(["widened"], CancellationToken.None);

        Assert.Equal(
            $"module 'widened': column amount is declared numeric(12,2) but is numeric(4,2) in {table} on 'dst'; Pipekit does not alter existing tables: "
            + $"change it there (e.g. ALTER TABLE {table} ALTER COLUMN amount TYPE numeric(12,2) on PostgreSQL), or drop the table and let the next run create it",
            Assert.Single(warnings));
    }

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
