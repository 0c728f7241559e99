using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Locks;

/// <summary>
/// Seed 002's belt and braces for stuck locks: a lock whose owner process is gone is cleared and the run it left
/// open is marked interrupted; a lock older than <c>[sync].stale_lock_hours</c> is cleared whoever holds it.
/// </summary>
public abstract class StaleLockFacts(TestStateStore store)
{
    [Fact]
    public async Task A_lock_held_by_a_process_that_exited_is_cleared_and_its_run_marked_interrupted()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var module = await SaveModuleAsync(h);
        var gone = new ProcessIdentity(Environment.MachineName, await ExitedProcessIdAsync(), 123);
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(module.Id, gone, CancellationToken.None));
        var runId = await h.Runs.StartAsync(module.Id, null, "manual", RunStatus.Running, gone.ToString(), CancellationToken.None);

        var cleared = await h.Get<StaleLockSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(1, cleared);
        var stored = await h.ReloadAsync(module);
        Assert.Equal((false, null, null), (stored.Running, stored.LockOwner, stored.LockedAt));
        var run = await h.Runs.GetAsync(runId, CancellationToken.None);
        Assert.Equal((RunStatus.Error, RunLogRepository.InterruptedError(gone.ToString())), (run!.Status, run.Error));
        Assert.Contains($"the process that ran it ({gone}) is gone", run.Error);
        Assert.NotNull(run.FinishedAt);
        RunAssert.Succeeded(await h.RunAsync(module), 1);
    }

    [Theory]
    [InlineData("api")]
    [InlineData("cli")]
    [InlineData("schedule:7")]
    public async Task A_run_started_by_anyone_clears_a_lock_left_by_a_process_that_exited_and_runs(string triggeredBy)
    {
        await using var h = await SyncHarness.StartAsync();
        var module = await SaveModuleAsync(h);
        var gone = new ProcessIdentity(Environment.MachineName, await ExitedProcessIdAsync(), 123);
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(module.Id, gone, CancellationToken.None));
        var leftOpen = await h.Runs.StartAsync(module.Id, null, "manual", RunStatus.Running, gone.ToString(), CancellationToken.None);

        var started = await h.Get<RunCoordinator>().StartModuleRunAsync(module.Id, new RunStart { TriggeredBy = triggeredBy }, CancellationToken.None);
        var result = await started.Completion;

        Assert.Equal((RunStatus.Success, (long?)started.RunId), (result.Status, result.RunId));
        Assert.Equal(triggeredBy, (await h.Runs.GetAsync(started.RunId, CancellationToken.None))!.TriggeredBy);
        Assert.Equal(RunLogRepository.InterruptedError(gone.ToString()), (await h.Runs.GetAsync(leftOpen, CancellationToken.None))!.Error);
        Assert.False((await h.ReloadAsync(module)).Running);
    }

    [Fact]
    public async Task A_lock_held_by_this_live_process_is_kept_with_its_run()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var module = await SaveModuleAsync(h);
        var alive = ProcessIdentity.Current();
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(module.Id, alive, CancellationToken.None));
        var runId = await h.Runs.StartAsync(module.Id, null, "manual", RunStatus.Running, alive.ToString(), CancellationToken.None);

        Assert.Equal(0, await h.Get<StaleLockSweeper>().SweepAsync(CancellationToken.None));

        Assert.Equal(alive.ToString(), (await h.ReloadAsync(module)).LockOwner);
        Assert.Equal(RunStatus.Running, (await h.Runs.GetAsync(runId, CancellationToken.None))!.Status);
        Assert.True((await h.RunAsync(module)).AlreadyRunning);
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 1)]
    [InlineData(100, 1)]
    public async Task A_lock_older_than_stale_lock_hours_is_cleared_even_when_its_owner_lives(int hoursHeld, int expectedCleared)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 2, 20, 0, TimeSpan.Zero));
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions
        {
            Store = store,
            Time = clock,
            Config = new PipekitConfig { Sync = new SyncOptions { StaleLockHours = 2 } },
        });
        var module = await SaveModuleAsync(h);
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(module.Id, ProcessIdentity.Current(), CancellationToken.None));

        clock.Advance(TimeSpan.FromHours(hoursHeld));
        var cleared = await h.Get<StaleLockSweeper>().SweepAsync(CancellationToken.None);

        Assert.Equal(expectedCleared, cleared);
        Assert.Equal(expectedCleared == 0, (await h.ReloadAsync(module)).Running);
    }

    [Fact]
    public async Task A_cancel_of_a_module_whose_lock_holder_is_gone_clears_the_lock_and_marks_its_run_interrupted()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var module = await SaveModuleAsync(h);
        var gone = new ProcessIdentity(Environment.MachineName, await ExitedProcessIdAsync(), 123);
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(module.Id, gone, CancellationToken.None));
        var leftOpen = await h.Runs.StartAsync(module.Id, null, "cli", RunStatus.Running, gone.ToString(), CancellationToken.None);

        var cancelled = await h.Get<RunCoordinator>().CancelModuleAsync(module.Id, CancellationToken.None);

        Assert.Equal(leftOpen, cancelled);
        var run = await h.Runs.GetAsync(leftOpen, CancellationToken.None);
        Assert.Equal((RunStatus.Error, RunLogRepository.InterruptedError(gone.ToString())), (run!.Status, run.Error));
        Assert.False((await h.ReloadAsync(module)).Running);
        RunAssert.Succeeded(await h.RunAsync(module), 1);
    }

    [Fact]
    public async Task A_cancel_of_a_module_locked_by_a_live_process_elsewhere_is_refused_and_changes_nothing()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var module = await SaveModuleAsync(h);
        var alive = ProcessIdentity.Current();
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(module.Id, alive, CancellationToken.None));

        var refused = await Assert.ThrowsAsync<RunConflictException>(() => h.Get<RunCoordinator>().CancelModuleAsync(module.Id, CancellationToken.None));

        Assert.Contains("cancel it there", refused.Message);
        Assert.Equal(alive.ToString(), (await h.ReloadAsync(module)).LockOwner);
    }

    [Fact]
    public async Task A_killed_process_its_parent_has_not_reaped_counts_as_gone()
    {
        // bash starts a background sleep, prints its PID and becomes another sleep by exec: that sleep never waits for
        // its child, so the child killed with SIGKILL stays a zombie, with its /proc entry and its start time.
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("sleep 120 & echo $!; exec sleep 120");
        using var parent = Process.Start(psi)!;
        try
        {
            var pid = int.Parse((await parent.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            var child = new ProcessIdentity(Environment.MachineName, pid, StartTicksOf(pid));
            Assert.False(child.IsDeadOnThisHost());

            using (var kill = Process.Start("kill", ["-9", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (StateOf(pid) != 'Z') await Task.Delay(20, guard.Token);

            Assert.True(File.Exists($"/proc/{pid}/stat"));
            Assert.True(child.IsDeadOnThisHost());
        }
        finally
        {
            parent.Kill(entireProcessTree: true);
            await parent.WaitForExitAsync();
        }
    }

    private static string[] StatFields(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    }

    private static long StartTicksOf(int pid) => long.Parse(StatFields(pid)[19], System.Globalization.CultureInfo.InvariantCulture);

    private static char StateOf(int pid) => StatFields(pid)[0][0];

    private static async Task<Module> SaveModuleAsync(SyncHarness h)
    {
        var db = await h.AddSqliteAsync("db");
        await h.ExecuteAsync(db, "CREATE TABLE t (v integer)", "INSERT INTO t VALUES (1)");
        return await h.SaveModuleAsync(Module(db));
    }

    private static Module Module(ConnectionRecord db) => new()
    {
        Name = "locked",
        SourceConnectionId = db.Id,
        DestConnectionId = db.Id,
        DestTable = "t_copy",
        SourceQuery = "SELECT v FROM t",
        MergeStrategy = MergeStrategy.Full,
        Columns = [new("v", "integer", "v", "integer")],
    };

    /// <summary>The PID of a process that was started and has exited (and been reaped), so /proc has no entry for it.</summary>
    private static async Task<int> ExitedProcessIdAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("/bin/true")) ?? throw new InvalidOperationException("cannot start /bin/true");
        await process.WaitForExitAsync();
        return process.Id;
    }

    public sealed class OnSqlite() : StaleLockFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : StaleLockFacts(TestStateStore.Postgres(postgres));
}
