using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>A dry run resolves watermarks live and materialises the SQL, and moves nothing: no staging, no merge.</summary>
public abstract class DryRunFacts(TestStateStore store)
{
    [Fact]
    public async Task A_dry_run_logs_the_resolved_and_merge_sql_and_leaves_the_destination_untouched()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddDuckDbAsync("dst");
        await Orders.CreateAsync(h, source, dest);
        await h.ExecuteAsync(dest, "INSERT INTO orders_copy VALUES ('north', 1, 10, 'a', 1)");
        var before = await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Incremental, Orders.Select + " WHERE version > {version}") with
        {
            MergeKey = "region, order_no",
            Watermarks = [Orders.VersionWatermark(dest)],
        });

        var result = await h.RunAsync(module, dryRun: true);

        Assert.Equal((RunStatus.DryRun, 0L, (string?)null), (result.Status, result.RowCount, result.Error));
        var entry = await h.RunLogAsync(result);
        Assert.Equal(RunStatus.DryRun, entry.Status);
        Assert.Equal("""{"version":"1"}""", entry.WatermarkValuesJson);
        Assert.Equal(Orders.Select + " WHERE version > 1", entry.ResolvedSourceSql);
        Assert.Equal(
            """
            DELETE FROM "orders_copy" WHERE EXISTS (SELECT 1 FROM "pipekit_staging"."orders_sync" s WHERE s."region" = "orders_copy"."region" AND s."order_no" = "orders_copy"."order_no");
            INSERT INTO "orders_copy" ("region", "order_no", "qty", "note", "version") SELECT "region", "order_no", "qty", "note", "version" FROM "pipekit_staging"."orders_sync";
            """,
            entry.MergeSql);
        Assert.Null(entry.TransferLog);
        Assert.Contains("dry run: watermarks resolved and SQL materialised; no data moved", entry.LiveLog, StringComparison.Ordinal);
        Assert.Equal(before, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        Assert.False(await h.TableExistsAsync(dest, "pipekit_staging.orders_sync"));
        var stored = await h.ReloadAsync(module);
        Assert.Equal((entry.ResolvedSourceSql, entry.MergeSql, false), (stored.NextResolvedQuery, stored.NextMergeSql, stored.Running));
    }

    [Fact]
    public async Task Each_dry_run_resolves_the_watermarks_again_against_the_live_data()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddDuckDbAsync("dst");
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Append, Orders.Select + " WHERE version > {version}") with
        {
            Watermarks = [Orders.VersionWatermark(dest)],
        });

        var first = await h.RunLogAsync(await h.RunAsync(module, dryRun: true));
        await h.ExecuteAsync(dest, "INSERT INTO orders_copy VALUES ('north', 1, 10, 'a', 5)");
        var second = await h.RunLogAsync(await h.RunAsync(module, dryRun: true));

        Assert.Equal(("""{"version":"0"}""", """{"version":"5"}"""), (first.WatermarkValuesJson, second.WatermarkValuesJson));
        Assert.Equal(Orders.Select + " WHERE version > 5", (await h.ReloadAsync(module)).NextResolvedQuery);
    }

    public sealed class OnSqlite() : DryRunFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : DryRunFacts(TestStateStore.Postgres(postgres));
}
