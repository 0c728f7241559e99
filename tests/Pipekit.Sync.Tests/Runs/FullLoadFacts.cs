using Pipekit.Core.Connections;
using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// <c>full_load</c> = direct and swap end to end: each replaces the destination's rows on every run, and a load that
/// fails part-way (a row the destination's CHECK refuses) leaves the destination exactly as it was.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class FullLoadFacts(PostgresFixture postgres)
{
    // qty < 100 is the destination's own rule: a source row with qty 500 fails the load after the rows before it went in.
    internal const string CheckedCopy =
        "CREATE TABLE orders_copy (region text NOT NULL, order_no integer NOT NULL, qty integer CHECK (qty < 100), note text, version integer, PRIMARY KEY (region, order_no))";

    /// <summary>Every pair with the mode: PostgreSQL → PostgreSQL takes the raw COPY path (the column types match), the others the typed bulk writers.</summary>
    public static TheoryData<Engine, Engine, FullLoad> Routes => new()
    {
        { Engine.Postgres, Engine.Postgres, FullLoad.Direct },
        { Engine.Sqlite, Engine.Postgres, FullLoad.Direct },
        { Engine.Postgres, Engine.DuckDb, FullLoad.Direct },
        { Engine.Postgres, Engine.Sqlite, FullLoad.Direct },
        { Engine.Postgres, Engine.Postgres, FullLoad.Swap },
        { Engine.Sqlite, Engine.Postgres, FullLoad.Swap },
    };

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task A_full_load_replaces_the_destination_with_the_source_on_every_run(Engine from, Engine to, FullLoad mode)
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await SetUpAsync(h, from, to);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full) with { FullLoad = mode });

        RunAssert.Succeeded(await h.RunAsync(module), 3);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));

        await h.ExecuteAsync(source,
            "UPDATE orders SET qty = 25, version = 2 WHERE region = 'north' AND order_no = 2",
            "INSERT INTO orders VALUES ('south', 2, 40, 'd', 2)",
            "DELETE FROM orders WHERE region = 'south' AND order_no = 1");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 3);
        Assert.Equal(["north|1|10|a|1", "north|2|25|b|2", "south|2|40|d|2"], await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        var log = await h.RunLogAsync(second);
        Assert.Contains("orders_copy", log.MergeSql);
        Assert.Contains(mode == FullLoad.Swap ? "RENAME" : "one transaction", log.MergeSql);
        // No staging table is made, and a swap leaves neither its new nor its old table behind.
        Assert.False(await h.TableExistsAsync(dest, to == Engine.Sqlite ? "pipekit_staging__orders_sync" : "pipekit_staging.orders_sync"));
        Assert.False(await h.TableExistsAsync(dest, $"pipekit_swap_new_{module.Id}"));
        Assert.False(await h.TableExistsAsync(dest, $"pipekit_swap_old_{module.Id}"));
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task A_load_that_fails_part_way_leaves_the_destination_as_it_was(Engine from, Engine to, FullLoad mode)
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await SetUpAsync(h, from, to);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full) with { FullLoad = mode });
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(source, "INSERT INTO orders VALUES ('west', 1, 500, 'too many', 2)");
        var failed = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, failed);
        Assert.Equal(0, failed.RowCount);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        Assert.False(await h.TableExistsAsync(dest, $"pipekit_swap_new_{module.Id}"));
    }

    [PostgresFact]
    public async Task A_swap_on_postgresql_keeps_the_primary_key_and_indexes_of_the_destination()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await SetUpAsync(h, Engine.Postgres, Engine.Postgres);
        await h.ExecuteAsync(dest, "CREATE INDEX orders_copy_note ON orders_copy (note)");
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full) with { FullLoad = FullLoad.Swap });

        RunAssert.Succeeded(await h.RunAsync(module), 3);
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        var indexes = await h.QueryAsync(dest, "SELECT indexdef FROM pg_indexes WHERE tablename = 'orders_copy' ORDER BY indexdef");
        Assert.Equal(2, indexes.Count);
        Assert.Contains(indexes, i => i.Contains("UNIQUE", StringComparison.Ordinal) && i.Contains("(region, order_no)", StringComparison.Ordinal));
        Assert.Contains(indexes, i => i.Contains("(note)", StringComparison.Ordinal));
    }

    [PostgresFact]
    public async Task A_swap_under_a_view_fails_with_what_to_do_and_leaves_the_destination_as_it_was()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await SetUpAsync(h, Engine.Postgres, Engine.Postgres);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full) with { FullLoad = FullLoad.Swap });
        RunAssert.Succeeded(await h.RunAsync(module), 3);
        await h.ExecuteAsync(dest, "CREATE VIEW north_orders AS SELECT * FROM orders_copy WHERE region = 'north'");
        await h.ExecuteAsync(source, "DELETE FROM orders WHERE region = 'north'");

        var failed = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, failed);
        Assert.Contains("stay with the old table", failed.Error, StringComparison.Ordinal);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        Assert.Equal(2, (await h.QueryAsync(dest, "SELECT * FROM north_orders")).Count);
    }

    [PostgresTheory]
    [InlineData(Engine.Sqlite, "SQLite")]
    [InlineData(Engine.DuckDb, "DuckDB")]
    public async Task Swap_is_refused_when_saved_for_an_engine_that_cannot_rename_a_table_in_atomically(Engine to, string engine)
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await SetUpAsync(h, Engine.Postgres, to);
        var editor = h.Get<ModuleEditor>();

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            editor.CreateAsync(Orders.Module(source, dest, MergeStrategy.Full) with { FullLoad = FullLoad.Swap }, CancellationToken.None));

        Assert.Contains("full_load", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"not available on {engine} destinations", ex.Message, StringComparison.Ordinal);
        Assert.Contains("\"direct\"", ex.Message, StringComparison.Ordinal);
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
    }

    [PostgresFact]
    public async Task A_stored_swap_module_whose_destination_cannot_swap_fails_its_run_and_changes_nothing()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await SetUpAsync(h, Engine.Postgres, Engine.Sqlite);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full));
        RunAssert.Succeeded(await h.RunAsync(module), 3);
        // Stored around the save-time check (as a connection repointed to another engine would leave it).
        module = await h.Modules.SaveAsync(module with { FullLoad = FullLoad.Swap }, CancellationToken.None);

        var failed = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, failed);
        Assert.Contains("not available on SQLite destinations", failed.Error, StringComparison.Ordinal);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }

    [PostgresFact]
    public async Task Full_load_is_refused_on_an_incremental_module()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await SetUpAsync(h, Engine.Postgres, Engine.Postgres);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => h.Get<ModuleEditor>().CreateAsync(
            Orders.Module(source, dest, MergeStrategy.Incremental) with { MergeKey = "region, order_no", FullLoad = FullLoad.Direct }, CancellationToken.None));

        Assert.Contains("applies to full modules only", ex.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task The_module_keeps_its_full_load_through_a_save_and_a_reload()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await SetUpAsync(h, Engine.Postgres, Engine.Postgres);

        var saved = await h.Get<ModuleEditor>().CreateAsync(Orders.Module(source, dest, MergeStrategy.Full) with { FullLoad = FullLoad.Swap }, CancellationToken.None);

        Assert.Equal(FullLoad.Swap, (await h.ReloadAsync(saved)).FullLoad);
    }

    private async Task<(ConnectionRecord Source, ConnectionRecord Dest)> SetUpAsync(SyncHarness h, Engine from, Engine to)
    {
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await h.ExecuteAsync(source, Orders.CreateTable(Orders.Table),
            "INSERT INTO orders VALUES ('north', 1, 10, 'a', 1), ('north', 2, 20, 'b', 1), ('south', 1, 30, 'c', 1)");
        await h.ExecuteAsync(dest, CheckedCopy);
        return (source, dest);
    }
}
