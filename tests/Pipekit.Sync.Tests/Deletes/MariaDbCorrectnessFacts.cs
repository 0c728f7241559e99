using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Verification;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Deletes;

/// <summary>
/// Delete detection, schema change and verification into MariaDB, where DDL commits on its own, UPDATE and DELETE
/// name their target without an alias, and a column type changes with MODIFY COLUMN.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MariaDbCorrectnessFacts(PostgresFixture postgres, MariaDbFixture mariadb) : IClassFixture<MariaDbFixture>
{
    private async Task<(SyncHarness H, ConnectionRecord Source, ConnectionRecord Dest)> SetUpAsync(bool sqliteSource = false)
    {
        var h = await SyncHarness.StartAsync();
        var source = sqliteSource ? await h.AddSqliteAsync("src") : await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddConnectionAsync("maria", await mariadb.NewDatabaseUriAsync());
        await Orders.CreateAsync(h, source, dest);
        return (h, source, dest);
    }

    [MariaDbFact]
    public async Task Hard_delete_detection_deletes_rows_that_left_the_source()
    {
        var (h, source, dest) = await SetUpAsync();
        await using var _ = h;
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with { DeleteDetection = DeleteDetection.Hard });
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(source, "DELETE FROM orders WHERE region = 'north'");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 0);
        Assert.Equal(["south|1|30|c|1"], await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        Assert.Equal(2, (await h.RunLogAsync(second)).DeletedRows);
    }

    [MariaDbFact]
    public async Task Soft_delete_detection_adds_its_column_and_marks_rows_that_left_the_source()
    {
        var (h, source, dest) = await SetUpAsync();
        await using var _ = h;
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with { DeleteDetection = DeleteDetection.Soft });
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(source, "DELETE FROM orders WHERE region = 'south'");
        RunAssert.Succeeded(await h.RunAsync(module), 0);

        Assert.Equal(["north|1|0", "north|2|0", "south|1|1"],
            await h.QueryAsync(dest, "SELECT region, order_no, CASE WHEN _pipekit_deleted_at IS NULL THEN 0 ELSE 1 END FROM orders_copy ORDER BY 1, 2"));
    }

    [MariaDbFact]
    public async Task An_empty_key_set_refuses_to_delete_every_row()
    {
        var (h, source, dest) = await SetUpAsync();
        await using var _ = h;
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with { DeleteDetection = DeleteDetection.Hard });
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(source, "DELETE FROM orders");
        var refused = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, refused);
        Assert.StartsWith("the keys query returned nothing; refusing to delete 3 rows", refused.Error);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }

    [MariaDbFact]
    public async Task Add_columns_and_evolve_change_a_mariadb_destination()
    {
        var (h, source, dest) = await SetUpAsync(sqliteSource: true);
        await using var _ = h;
        await h.ExecuteAsync(source, "ALTER TABLE orders ADD COLUMN channel text", "UPDATE orders SET channel = 'web', qty = 5000000000 WHERE region = 'south'");
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with
        {
            SourceQuery = "SELECT region, order_no, qty, note, version, channel FROM orders WHERE version > {version}",
            Columns = [.. Orders.Columns.Select(c => c.DestName == "qty" ? c with { DestType = "bigint" } : c), new ModuleColumn("channel", "text", "channel", null)],
            SchemaChange = SchemaChangeRule.Evolve,
        });

        var run = await h.RunAsync(module);

        RunAssert.Succeeded(run, 3);
        Assert.Equal(["south|5000000000|web"], await h.QueryAsync(dest, "SELECT region, qty, channel FROM orders_copy WHERE channel IS NOT NULL"));
        var changes = (await h.RunLogAsync(run)).SchemaChanges;
        Assert.Contains("ADD COLUMN `channel`", changes);
        Assert.Contains("MODIFY COLUMN `qty` bigint", changes);
    }

    [MariaDbFact]
    public async Task Verify_catches_a_row_deleted_behind_the_engines_back_and_the_after_run_check_marks_drift()
    {
        var (h, source, dest) = await SetUpAsync();
        await using var _ = h;
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with { Verify = VerifyMode.Counts });
        var first = await h.RunAsync(module);
        RunAssert.Succeeded(first, 3);
        Assert.False((await h.RunLogAsync(first)).Drift);
        var verifier = h.Get<ModuleVerifier>();
        Assert.True((await verifier.VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default)).Match);

        await h.ExecuteAsync(dest, "DELETE FROM orders_copy WHERE region = 'south'");
        var keys = await verifier.VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys), default);
        var second = await h.RunAsync(module);

        Assert.Equal(["south|1"], keys.MissingSample);
        RunAssert.Succeeded(second, 0);
        Assert.True((await h.RunLogAsync(second)).Drift);
    }
}
