using Pipekit.Core.Connections;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Groups;

/// <summary>
/// Group runs (seed 002 "Groups and scheduling"): members in run order, disabled ones skipped, past failures unless
/// <c>stop_on_failure</c>, a final status that is the worst of the members, and every module run tagged with the group run.
/// </summary>
public abstract class GroupRunFacts(TestStateStore store)
{
    [Fact]
    public async Task A_group_runs_past_a_failing_member_in_run_order_and_ends_in_error()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var (first, failing, last) = await ThreeModulesAsync(h);

        var result = await RunGroupAsync(h, stopOnFailure: false, dryRun: false, last, first, failing);

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal([RunStatus.Success, RunStatus.Error, RunStatus.Success], result.Members.Select(r => r.Status));
        Assert.Equal(["first", "failing", "last"], await ModuleNamesInRunOrderAsync(h, result.GroupRunId));
        Assert.Equal(RunStatus.Error, (await h.GroupRunAsync(result.GroupRunId))!.Status);
        Assert.Single(await h.RunsOfAsync(last));
    }

    [Fact]
    public async Task Stop_on_failure_ends_the_group_at_the_failing_member()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var (first, failing, last) = await ThreeModulesAsync(h);

        var result = await RunGroupAsync(h, stopOnFailure: true, dryRun: false, last, first, failing);

        Assert.Equal(RunStatus.Error, result.Status);
        Assert.Equal(["first", "failing"], await ModuleNamesInRunOrderAsync(h, result.GroupRunId));
        Assert.Empty(await h.RunsOfAsync(last));
    }

    [Fact]
    public async Task A_disabled_member_is_skipped_without_a_run()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var (first, failing, last) = await ThreeModulesAsync(h);
        failing = await h.Modules.SaveAsync(failing with { Enabled = false }, CancellationToken.None);

        var result = await RunGroupAsync(h, stopOnFailure: true, dryRun: false, last, first, failing);

        Assert.Equal(RunStatus.Success, result.Status);
        Assert.Equal(["first", "last"], await ModuleNamesInRunOrderAsync(h, result.GroupRunId));
        Assert.Empty(await h.RunsOfAsync(failing));
        Assert.Equal(RunStatus.Success, (await h.GroupRunAsync(result.GroupRunId))!.Status);
    }

    [Fact]
    public async Task A_group_of_dry_runs_ends_as_a_dry_run()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var (first, _, last) = await ThreeModulesAsync(h);

        var result = await RunGroupAsync(h, stopOnFailure: false, dryRun: true, last, first);

        Assert.Equal(RunStatus.DryRun, result.Status);
        Assert.Equal(RunStatus.DryRun, (await h.GroupRunAsync(result.GroupRunId))!.Status);
        var runs = await h.Runs.ListAsync(new RunFilter { GroupRunId = result.GroupRunId }, CancellationToken.None);
        Assert.Equal([RunStatus.DryRun, RunStatus.DryRun], runs.Select(r => r.Status));
        Assert.All(runs, r => Assert.Equal(result.GroupRunId, r.GroupRunId));
    }

    [Fact]
    public async Task A_member_locked_by_another_run_is_logged_in_the_group_as_already_running()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var (first, _, last) = await ThreeModulesAsync(h);
        var other = new ProcessIdentity(Environment.MachineName, Environment.ProcessId, 0);
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(first.Id, other, CancellationToken.None));

        var result = await RunGroupAsync(h, stopOnFailure: false, dryRun: false, last, first);

        Assert.Equal(RunStatus.Error, result.Status);
        var refused = Assert.Single(await h.RunsOfAsync(first));
        Assert.Equal((RunStatus.Error, (long?)result.GroupRunId), (refused.Status, refused.GroupRunId));
        Assert.Contains("is already running (host ", refused.Error, StringComparison.Ordinal);
        Assert.Equal(RunStatus.Success, Assert.Single(await h.RunsOfAsync(last)).Status);
    }

    [Fact]
    public async Task A_group_cancelled_before_it_loads_still_ends_its_group_run_cancelled()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var (first, _, _) = await ThreeModulesAsync(h);
        var group = await h.Get<GroupRepository>().SaveAsync(new Group { Name = "g", Members = [new GroupMember(0, first.Id, 1)] }, CancellationToken.None);
        var runner = h.Get<GroupRunner>();
        var groupRunId = await runner.StartAsync(group.Id, "manual", CancellationToken.None);

        var result = await runner.RunAsync(group.Id, groupRunId, new RunOptions(), null, new CancellationToken(canceled: true));

        Assert.Equal(RunStatus.Cancelled, result.Status);
        Assert.Equal(RunStatus.Cancelled, (await h.GroupRunAsync(groupRunId))!.Status);
        Assert.Empty(await h.RunsOfAsync(first));
    }

    /// <summary>Three modules copying one table; the middle one's source query fails.</summary>
    private static async Task<(Module First, Module Failing, Module Last)> ThreeModulesAsync(SyncHarness h)
    {
        var db = await h.AddSqliteAsync("db");
        await h.ExecuteAsync(db, "CREATE TABLE t (v integer)", "INSERT INTO t VALUES (1), (2)");
        return (await h.SaveModuleAsync(Copy(db, "first", "SELECT v FROM t")),
            await h.SaveModuleAsync(Copy(db, "failing", "SELECT v FROM no_such_table")),
            await h.SaveModuleAsync(Copy(db, "last", "SELECT v FROM t")));
    }

    private static Module Copy(ConnectionRecord db, string name, string sourceQuery) => new()
    {
        Name = name,
        SourceConnectionId = db.Id,
        DestConnectionId = db.Id,
        DestTable = name + "_copy",
        SourceQuery = sourceQuery,
        MergeStrategy = MergeStrategy.Full,
        Columns = [new("v", "integer", "v", "integer")],
    };

    /// <summary>Saves a group whose members are listed in reverse run order, so that run order, not listing order, must decide.</summary>
    private static async Task<GroupRunResult> RunGroupAsync(SyncHarness h, bool stopOnFailure, bool dryRun, params Module[] membersLastFirst)
    {
        var members = membersLastFirst.Select((m, i) => new GroupMember(0, m.Id, i == 0 ? 99 : i)).ToList();
        var group = await h.Get<GroupRepository>().SaveAsync(new Group { Name = "nightly", StopOnFailure = stopOnFailure, Members = members }, CancellationToken.None);
        var runner = h.Get<GroupRunner>();
        var groupRunId = await runner.StartAsync(group.Id, "manual", CancellationToken.None);
        return await runner.RunAsync(group.Id, groupRunId, new RunOptions { DryRun = dryRun }, null, CancellationToken.None);
    }

    private static async Task<IReadOnlyList<string>> ModuleNamesInRunOrderAsync(SyncHarness h, long groupRunId)
    {
        var runs = await h.Runs.ListAsync(new RunFilter { GroupRunId = groupRunId }, CancellationToken.None);
        Assert.All(runs, r => Assert.Equal(groupRunId, r.GroupRunId));
        return runs.OrderBy(r => r.Id).Select(r => r.ModuleName!).ToList();
    }

    public sealed class OnSqlite() : GroupRunFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : GroupRunFacts(TestStateStore.Postgres(postgres));
}
