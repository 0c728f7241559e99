using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// Each merge strategy end to end over real engines: two runs with source changes in between, and the destination
/// compared row for row with what the strategy promises.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StrategyFacts(PostgresFixture postgres)
{
    public static TheoryData<Engine, Engine> Routes => new()
    {
        { Engine.Postgres, Engine.Postgres },
        { Engine.Sqlite, Engine.DuckDb },
        { Engine.Sqlite, Engine.Postgres },
        { Engine.DuckDb, Engine.Sqlite },
    };

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Full_replaces_the_destination_with_the_source_on_every_run(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full));

        var first = await h.RunAsync(module);
        RunAssert.Succeeded(first, 3);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));

        await h.ExecuteAsync(source,
            "UPDATE orders SET qty = 25, version = 2 WHERE region = 'north' AND order_no = 2",
            "INSERT INTO orders VALUES ('south', 2, 40, 'd', 2)",
            "DELETE FROM orders WHERE region = 'south' AND order_no = 1");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 3);
        Assert.Equal(["north|1|10|a|1", "north|2|25|b|2", "south|2|40|d|2"], await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Incremental_replaces_the_rows_matching_a_two_column_merge_key_and_keeps_the_rest(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Incremental, Orders.Select + " WHERE version > {version}") with
        {
            MergeKey = "region, order_no",
            Watermarks = [Orders.VersionWatermark(dest)],
        });

        var first = await h.RunAsync(module);
        RunAssert.Succeeded(first, 3);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));

        // south/1 changes and south/2 is new. order_no 1 and 2 also exist for north: a key of order_no alone
        // would delete north's rows, the two-column key must not.
        await h.ExecuteAsync(source,
            "UPDATE orders SET qty = 35, note = 'c2', version = 2 WHERE region = 'south' AND order_no = 1",
            "INSERT INTO orders VALUES ('south', 2, 40, 'd', 2)");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 2);
        Assert.Equal(["north|1|10|a|1", "north|2|20|b|1", "south|1|35|c2|2", "south|2|40|d|2"],
            await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        Assert.EndsWith("WHERE version > 1", (await h.RunLogAsync(second)).ResolvedSourceSql);
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Append_only_adds_rows_and_never_touches_those_already_there(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Append, Orders.Select + " WHERE version > {version}") with
        {
            Watermarks = [Orders.VersionWatermark(dest)],
        });

        var first = await h.RunAsync(module);
        RunAssert.Succeeded(first, 3);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));

        await h.ExecuteAsync(source,
            "UPDATE orders SET qty = 99 WHERE region = 'north' AND order_no = 1",
            "INSERT INTO orders VALUES ('south', 2, 40, 'd', 2), ('west', 1, 50, 'e', 2)");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 2);
        Assert.Equal(["north|1|10|a|1", "north|2|20|b|1", "south|1|30|c|1", "south|2|40|d|2", "west|1|50|e|2"],
            await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }
}
