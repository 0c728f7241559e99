using Pipekit.Core.Drivers;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.SchemaChanges;

/// <summary>schema_change over real engines: fail names the column, add_columns adds it, evolve widens and never narrows.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SchemaChangeFacts(PostgresFixture postgres)
{
    public static TheoryData<Engine> Destinations => new() { Engine.Postgres, Engine.DuckDb, Engine.Sqlite };

    private static Module WithChannel(Module module) => module with
    {
        SourceQuery = "SELECT region, order_no, qty, note, version, channel FROM orders WHERE version > {version}",
        Columns = [.. Orders.Columns, new ModuleColumn("channel", "text", "channel", null)],
    };

    [PostgresTheory]
    [MemberData(nameof(Destinations))]
    public async Task Add_columns_adds_a_column_the_source_now_returns_and_fail_names_it(Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        await h.ExecuteAsync(source, "ALTER TABLE orders ADD COLUMN channel text", "UPDATE orders SET channel = 'web'");
        var module = await h.SaveModuleAsync(WithChannel(CorrectnessModules.Incremental(source, dest)));

        var refused = await h.RunAsync(module);
        RunAssert.Ended(RunStatus.Error, refused);
        Assert.Contains("'channel'", refused.Error);
        Assert.Contains("schema_change = \"add_columns\"", refused.Error);

        module = await h.SaveModuleAsync(await h.ReloadAsync(module) with { SchemaChange = SchemaChangeRule.AddColumns });
        var added = await h.RunAsync(module);

        RunAssert.Succeeded(added, 3);
        Assert.Equal(["north|1|web", "north|2|web", "south|1|web"], await h.QueryAsync(dest, "SELECT region, order_no, channel FROM orders_copy ORDER BY 1, 2"));
        Assert.Contains("ADD COLUMN", (await h.RunLogAsync(added)).SchemaChanges);
    }

    [PostgresTheory]
    [MemberData(nameof(Destinations))]
    public async Task Evolve_widens_an_integer_column_to_bigint_where_the_engine_enforces_widths(Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        await h.ExecuteAsync(source, "UPDATE orders SET qty = 5000000000 WHERE region = 'south'");
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with
        {
            Columns = Orders.Columns.Select(c => c.DestName == "qty" ? c with { DestType = "bigint" } : c).ToList(),
            SchemaChange = SchemaChangeRule.Evolve,
        });

        var run = await h.RunAsync(module);

        RunAssert.Succeeded(run, 3);
        Assert.Equal(["5000000000"], await h.QueryAsync(dest, "SELECT qty FROM orders_copy WHERE region = 'south'"));
        var changes = (await h.RunLogAsync(run)).SchemaChanges;
        if (to == Engine.Sqlite) Assert.Null(changes);
        else Assert.Contains("bigint", changes, StringComparison.OrdinalIgnoreCase);
    }

    [PostgresFact]
    public async Task Evolve_refuses_to_turn_an_integer_column_into_text_and_says_which_alter_would()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddPostgresAsync("dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with
        {
            Columns = Orders.Columns.Select(c => c.DestName == "qty" ? c with { DestType = "text" } : c).ToList(),
            SchemaChange = SchemaChangeRule.Evolve,
        });

        var run = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, run);
        Assert.EndsWith("If the change is safe, run: ALTER TABLE \"orders_copy\" ALTER COLUMN \"qty\" TYPE text", run.Error);
        Assert.Empty(await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }
}
