using Pipekit.Sync.Modules;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// The strategies where MySQL/MariaDB's dialect differs: DDL is not transactional, a full merge empties the
/// destination with DELETE FROM, and the incremental DELETE names the target without an alias.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MariaDbStrategyFacts(PostgresFixture postgres, MariaDbFixture mariadb) : IClassFixture<MariaDbFixture>
{
    private async Task<(SyncHarness H, Pipekit.Core.Connections.ConnectionRecord Source, Pipekit.Core.Connections.ConnectionRecord Dest)> SetUpAsync(bool intoMariaDb)
    {
        var h = await SyncHarness.StartAsync();
        var pg = await h.AddPostgresAsync("pg", postgres);
        var maria = await h.AddConnectionAsync("maria", await mariadb.NewDatabaseUriAsync());
        var (source, dest) = intoMariaDb ? (pg, maria) : (maria, pg);
        await Orders.CreateAsync(h, source, dest);
        return (h, source, dest);
    }

    [MariaDbFact]
    public async Task Full_into_mariadb_replaces_every_row_with_delete_from()
    {
        var (h, source, dest) = await SetUpAsync(intoMariaDb: true);
        await using var _ = h;
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full));

        RunAssert.Succeeded(await h.RunAsync(module), 3);
        await h.ExecuteAsync(source, "DELETE FROM orders WHERE region = 'south'");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 2);
        Assert.Equal(["north|1|10|a|1", "north|2|20|b|1"], await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        Assert.StartsWith("DELETE FROM `orders_copy`;", (await h.RunLogAsync(second)).MergeSql);
    }

    [MariaDbFact]
    public async Task Incremental_into_mariadb_matches_a_two_column_key()
    {
        var (h, source, dest) = await SetUpAsync(intoMariaDb: true);
        await using var _ = h;
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Incremental, Orders.Select + " WHERE version > {version}") with
        {
            MergeKey = "region, order_no",
            Watermarks = [Orders.VersionWatermark(dest)],
        });

        RunAssert.Succeeded(await h.RunAsync(module), 3);
        await h.ExecuteAsync(source,
            "UPDATE orders SET qty = 35, note = 'c2', version = 2 WHERE region = 'south' AND order_no = 1",
            "INSERT INTO orders VALUES ('south', 2, 40, 'd', 2)");
        RunAssert.Succeeded(await h.RunAsync(module), 2);

        Assert.Equal(["north|1|10|a|1", "north|2|20|b|1", "south|1|35|c2|2", "south|2|40|d|2"],
            await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }

    [MariaDbFact]
    public async Task Append_from_mariadb_into_postgres_adds_only_new_rows()
    {
        var (h, source, dest) = await SetUpAsync(intoMariaDb: false);
        await using var _ = h;
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Append, Orders.Select + " WHERE version > {version}") with
        {
            Watermarks = [Orders.VersionWatermark(dest)],
        });

        RunAssert.Succeeded(await h.RunAsync(module), 3);
        await h.ExecuteAsync(source, "INSERT INTO orders VALUES ('west', 1, 50, 'e', 2)");
        RunAssert.Succeeded(await h.RunAsync(module), 1);

        Assert.Equal([.. Orders.FirstRows, "west|1|50|e|2"], await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }
}
