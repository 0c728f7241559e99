using Dapper;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.State;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.State;

/// <summary>
/// Sync migration 0002 (issue 9, item 11): a store made at Sync version 1 keeps every run through the upgrade, each run
/// learns its module's name, deleting a module keeps its runs under that name, and run ids are never handed out twice.
/// </summary>
public abstract class RunHistoryMigrationFacts(TestStateStore store)
{
    [Fact]
    public async Task Runs_of_a_store_at_sync_version_1_survive_migration_0002_and_outlive_their_module_with_ids_never_reused()
    {
        var ct = CancellationToken.None;
        using var dir = new TempDirectory();
        await using var location = await store.LocationAsync(dir.Path);
        var current = Migrator.ForParts([StatePart.Core, SyncSchema.Part], location.Kind, TimeProvider.System);
        var first = new Migrator(current.All.Where(m => m.Version == 1).ToList(), TimeProvider.System);
        var old = location.Open(first);
        await old.InitializeAsync(ct);
        long orders, items;
        List<long> runIds = [];
        await using (var c = await old.OpenAsync(ct))
        {
            var connection = await c.ExecuteScalarAsync<long>(
                "INSERT INTO connection (name, driver, url, created_at, updated_at) VALUES ('db', 'sqlite', 'sqlite:///tmp/x.db', 'now', 'now') RETURNING id");
            const string module = """
                INSERT INTO module (name, source_connection_id, dest_connection_id, dest_table, source_query, merge_strategy, created_at, updated_at)
                VALUES (@name, @connection, @connection, 't', 'SELECT 1', 'full', 'now', 'now') RETURNING id
                """;
            orders = await c.ExecuteScalarAsync<long>(module, new { name = "orders", connection });
            items = await c.ExecuteScalarAsync<long>(module, new { name = "items", connection });
            foreach (var m in new[] { orders, orders, items })
                runIds.Add(await c.ExecuteScalarAsync<long>(
                    "INSERT INTO run_log (module_id, started_at, status, triggered_by) VALUES (@m, '2026-11-01T00:00:00Z', 'success', 'cli') RETURNING id",
                    new { m }));
        }

        var upgraded = location.Open(current);
        var applied = await upgraded.InitializeAsync(ct);

        Assert.Contains(applied, m => (m.Part, m.Version, m.Name) == ("sync", 2, "run_history"));
        var runs = new RunLogRepository(upgraded, TimeProvider.System, new Redactor([]));
        var kept = await runs.ListAsync(new RunFilter(), ct);
        Assert.Equal(Enumerable.Reverse(runIds), kept.Select(r => r.Id));
        Assert.Equal(["items", "orders", "orders"], kept.Select(r => r.ModuleName));

        await using (var c = await upgraded.OpenAsync(ct))
            await c.ExecuteAsync("DELETE FROM module WHERE id = @orders", new { orders });
        var afterDelete = await runs.ListAsync(new RunFilter(), ct);
        Assert.Equal(runIds.Count, afterDelete.Count);
        Assert.All(afterDelete.Where(r => r.ModuleName == "orders"), r => Assert.Equal((null, true, "orders (deleted)"), (r.ModuleId, r.ModuleDeleted, r.ModuleLabel)));
        Assert.Equal(items, afterDelete.Single(r => r.ModuleName == "items").ModuleId);

        // The newest run's row gone (by hand: Pipekit deletes none), the next run still gets a new id.
        await using (var c = await upgraded.OpenAsync(ct))
            await c.ExecuteAsync("DELETE FROM run_log WHERE id = @newest", new { newest = runIds[^1] });
        var next = await runs.StartAsync(items, null, "api", RunStatus.Queued, null, ct);
        Assert.True(next > runIds[^1], $"run id {next} was handed out again");
        Assert.Equal("items", (await runs.GetAsync(next, ct))!.ModuleName);
    }

    [Fact]
    public async Task Starting_a_run_of_a_module_deleted_meanwhile_is_not_found_not_a_foreign_key_failure()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await h.AddSqliteAsync("db");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "gone", SourceConnectionId = db.Id, DestConnectionId = db.Id, DestTable = "t", SourceQuery = "SELECT 1 AS v",
            MergeStrategy = MergeStrategy.Full,
        });
        await h.Get<ModuleEditor>().DeleteAsync(module.Id, CancellationToken.None);

        var missing = await Assert.ThrowsAsync<ModuleNotFoundException>(() =>
            h.Runs.StartAsync(module.Id, null, "api", RunStatus.Queued, null, CancellationToken.None));

        Assert.Contains($"with id {module.Id}", missing.Message);
    }

    public sealed class OnSqlite() : RunHistoryMigrationFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : RunHistoryMigrationFacts(TestStateStore.Postgres(postgres));
}
