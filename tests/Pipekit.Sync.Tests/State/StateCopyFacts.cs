using Dapper;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.State;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

using Pipekit.Sync.Hooks;

namespace Pipekit.Sync.Tests.State;

/// <summary><c>pipekit state copy</c>: a real SQLite store with rows in every table moves into an empty PostgreSQL store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StateCopyFacts(PostgresFixture postgres)
{
    private static readonly SecretStore NoSecrets = SecretStore.LoadOrEmptyAsync("/nonexistent/secrets.toml", CancellationToken.None).GetAwaiter().GetResult();

    private static StateStore PostgresStore(string url) =>
        StateStore.ForPostgres(url, null, NoSecrets, new Redactor([]), Migrator.ForParts([StatePart.Core, SyncSchema.Part], StoreKind.Postgres, TimeProvider.System));

    [PostgresFact]
    public async Task Every_row_of_every_table_is_copied_with_its_id_and_new_ids_continue_past_them()
    {
        await using var h = await SyncHarness.StartAsync();
        await FillEveryTableAsync(h);
        var url = await postgres.NewDatabaseUriAsync();

        IReadOnlyList<TableCount> counts;
        await using (var target = PostgresStore(url))
            counts = await StateCopier.CopyAsync(h.State, target, CancellationToken.None);

        Assert.Equal(
            ["change_version", "connection", "group_member", "group_run", "grp", "hook", "module", "notification_channel", "notification_late",
             "notification_rule", "notification_run", "run_log", "schedule", "settings", "watermark"],
            counts.Select(c => c.Table).Order(StringComparer.Ordinal));
        Assert.All(counts, c => Assert.True(c.Source > 0 && c.Source == c.Target, $"{c.Table}: {c.Source} → {c.Target}"));

        await using var copied = await SyncHarness.StartAsync(new SyncHarnessOptions { Config = new PipekitConfig { State = new StateOptions { Url = url } } });
        Assert.Equal(StoreKind.Postgres, copied.State.Kind);
        var before = await h.Modules.ListAsync(CancellationToken.None);
        var after = await copied.Modules.ListAsync(CancellationToken.None);
        Assert.Equal(before.Select(m => (m.Id, m.Name, m.Watermarks.Count, m.Hooks.Count)), after.Select(m => (m.Id, m.Name, m.Watermarks.Count, m.Hooks.Count)));
        var connections = await copied.Get<ConnectionRepository>().ListAsync(CancellationToken.None);
        Assert.Equal(connections.Single(c => c.Name == "z_dest").Id, connections.Single(c => c.Name == "a_source").DefaultDestConnectionId);
        Assert.Equal((await h.Runs.ListAsync(new RunFilter(), CancellationToken.None)).Select(r => (r.Id, r.Status, r.GroupRunId)),
            (await copied.Runs.ListAsync(new RunFilter(), CancellationToken.None)).Select(r => (r.Id, r.Status, r.GroupRunId)));

        var fresh = await copied.AddSqliteAsync("fresh");
        Assert.True(fresh.Id > connections.Max(c => c.Id));
    }

    [PostgresFact]
    public async Task A_store_that_already_holds_rows_is_refused_and_left_as_it_was()
    {
        await using var h = await SyncHarness.StartAsync();
        await FillEveryTableAsync(h);
        var url = await postgres.NewDatabaseUriAsync();
        await using var target = PostgresStore(url);
        await target.InitializeAsync(CancellationToken.None);
        await new SettingsRepository(target, TimeProvider.System).SetAsync("theme", "dark", CancellationToken.None);

        var ex = await Assert.ThrowsAsync<StateException>(() => StateCopier.CopyAsync(h.State, target, CancellationToken.None));

        Assert.Contains("is not empty (settings: 1)", ex.Message);
        await using var c = await target.OpenAsync(CancellationToken.None);
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM connection"));
    }

    [PostgresFact]
    public async Task A_row_the_target_refuses_rolls_the_whole_copy_back()
    {
        await using var h = await SyncHarness.StartAsync();
        await FillEveryTableAsync(h);
        // SQLite keeps whatever it is given; PostgreSQL's BIGINT column will not take this text.
        await h.ExecuteStateAsync("UPDATE run_log SET row_count = 'many' WHERE id = (SELECT max(id) FROM run_log)");
        var url = await postgres.NewDatabaseUriAsync();
        await using var target = PostgresStore(url);

        var ex = await Assert.ThrowsAsync<StateException>(() => StateCopier.CopyAsync(h.State, target, CancellationToken.None));

        Assert.Contains("nothing was committed", ex.Message);
        await using var c = await target.OpenAsync(CancellationToken.None);
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM module"));
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM connection"));
    }

    /// <summary>At least one row in every table, ids with gaps, and a connection that names one with a larger id.</summary>
    private static async Task FillEveryTableAsync(SyncHarness h)
    {
        var source = await h.AddSqliteAsync("a_source");
        var gone = await h.AddSqliteAsync("gone");
        var dest = await h.AddSqliteAsync("z_dest");
        await h.Get<ConnectionRepository>().DeleteAsync(gone.Id, CancellationToken.None);
        await h.Get<ConnectionRepository>().UpdateAsync(source with { DefaultDestConnectionId = dest.Id }, CancellationToken.None);
        await h.ExecuteAsync(source, "CREATE TABLE t (v integer)", "INSERT INTO t VALUES (1), (2)");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "copy_t",
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = "t_copy",
            SourceQuery = "SELECT v FROM t WHERE v > {floor}",
            MergeStrategy = MergeStrategy.Full,
            Columns = [new("v", "integer", "v", "integer")],
            Watermarks = [new() { Name = "floor", ConnectionId = source.Id, ResolverSql = "SELECT 0" }],
            Hooks = [new() { ConnectionId = dest.Id, Sql = "SELECT 1", RunOn = HookRunOn.Always }],
        });
        var group = await h.Get<GroupRepository>().SaveAsync(new Group { Name = "nightly", Members = [new GroupMember(0, module.Id, 1)] }, CancellationToken.None);
        var runner = h.Get<GroupRunner>();
        await runner.RunAsync(group.Id, await runner.StartAsync(group.Id, "manual", CancellationToken.None), new RunOptions(), null, CancellationToken.None);
        await h.RunAsync(module);
        await h.Get<ScheduleRepository>().AddAsync(new Schedule { TargetKind = "group", TargetId = group.Id, CronExpr = "0 6 * * *" }, CancellationToken.None);
        await h.Get<SettingsRepository>().SetAsync("theme", "dark", CancellationToken.None);
        // Core's notification tables, written as the notifier and the API write them.
        await using var state = await h.State.OpenAsync(CancellationToken.None);
        await state.ExecuteAsync("""
            INSERT INTO notification_channel (name, kind, url, secret, created_at, updated_at)
                VALUES ('ops', 'webhook', 'http://127.0.0.1:9/hook', '$HOOK_SECRET', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z');
            INSERT INTO notification_rule (target_kind, target_name, on_status, created_at, updated_at)
                VALUES ('group', 'nightly', 'failure,recovery', '2026-12-03T00:00:00Z', '2026-12-03T00:00:00Z');
            INSERT INTO notification_run (target_kind, target_name, run_id, status, duration_ms, finished_at)
                VALUES ('module', 'copy_t', 1, 'success', 12, '2026-12-03T00:00:00Z');
            INSERT INTO notification_late (schedule_id, fired_at, sent_at) VALUES (1, '2026-12-03T06:00:00Z', '2026-12-03T07:00:00Z');
            """);
    }
}
