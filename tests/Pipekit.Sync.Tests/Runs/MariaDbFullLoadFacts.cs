using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// <c>full_load</c> into MariaDB: direct empties with DELETE FROM and loads in the same InnoDB transaction; swap is one
/// atomic <c>RENAME TABLE</c> of two pairs (MariaDB's DDL is not transactional, but that statement is atomic on its own).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MariaDbFullLoadFacts(PostgresFixture postgres, MariaDbFixture mariadb) : IClassFixture<MariaDbFixture>
{
    private const string CheckedCopy =
        "CREATE TABLE orders_copy (region varchar(20) NOT NULL, order_no integer NOT NULL, qty integer CHECK (qty < 100), note text, version integer, PRIMARY KEY (region, order_no), KEY orders_copy_note (note(10))) ENGINE=InnoDB";

    private async Task<(SyncHarness H, Module Module, Core.Connections.ConnectionRecord Source, Core.Connections.ConnectionRecord Dest)> SetUpAsync(FullLoad mode)
    {
        var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("pg", postgres);
        var dest = await h.AddConnectionAsync("maria", await mariadb.NewDatabaseUriAsync());
        await h.ExecuteAsync(source, Orders.CreateTable(Orders.Table),
            "INSERT INTO orders VALUES ('north', 1, 10, 'a', 1), ('north', 2, 20, 'b', 1), ('south', 1, 30, 'c', 1)");
        await h.ExecuteAsync(dest, CheckedCopy);
        var module = await h.Get<ModuleEditor>().CreateAsync(Orders.Module(source, dest, MergeStrategy.Full) with { FullLoad = mode }, CancellationToken.None);
        return (h, module, source, dest);
    }

    [MariaDbTheory]
    [InlineData(FullLoad.Direct)]
    [InlineData(FullLoad.Swap)]
    public async Task A_full_load_into_mariadb_replaces_every_row_on_every_run(FullLoad mode)
    {
        var (h, module, source, dest) = await SetUpAsync(mode);
        await using var _ = h;

        RunAssert.Succeeded(await h.RunAsync(module), 3);
        await h.ExecuteAsync(source, "DELETE FROM orders WHERE region = 'south'", "UPDATE orders SET qty = 25 WHERE order_no = 2");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 2);
        Assert.Equal(["north|1|10|a|1", "north|2|25|b|1"], await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        Assert.Contains(mode == FullLoad.Swap ? "RENAME TABLE" : "DELETE FROM `orders_copy`", (await h.RunLogAsync(second)).MergeSql);
        Assert.False(await h.TableExistsAsync(dest, $"pipekit_swap_new_{module.Id}"));
        Assert.False(await h.TableExistsAsync(dest, $"pipekit_swap_old_{module.Id}"));
        // The swapped-in table was built LIKE the old one: its key and index came along.
        Assert.Equal(["orders_copy_note", "PRIMARY"],
            await h.QueryAsync(dest, "SELECT DISTINCT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'orders_copy' ORDER BY index_name = 'PRIMARY'"));
    }

    [MariaDbTheory]
    [InlineData(FullLoad.Direct)]
    [InlineData(FullLoad.Swap)]
    public async Task A_full_load_into_mariadb_that_fails_part_way_leaves_the_destination_as_it_was(FullLoad mode)
    {
        var (h, module, source, dest) = await SetUpAsync(mode);
        await using var _ = h;
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(source, "INSERT INTO orders VALUES ('west', 1, 500, 'too many', 2)");
        var failed = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, failed);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        Assert.False(await h.TableExistsAsync(dest, $"pipekit_swap_new_{module.Id}"));
    }
}
