using Pipekit.Core.Scheduling;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.Scheduling;
using Pipekit.Pipelines.State;
using Pipekit.Pipelines.Tests.Fixtures;
using Xunit;

namespace Pipekit.Pipelines.Tests.Runs;

public sealed class PipelineRunServiceFacts : IAsyncLifetime
{
    private readonly TestWorkspace _ws = new();
    private PipelinesHarness _harness = null!;

    private PipelineRunService Service => _harness.Get<PipelineRunService>();

    private PipelineRunRepository Runs => _harness.Get<PipelineRunRepository>();

    public async Task InitializeAsync() => _harness = await PipelinesHarness.CreateAsync(_ws, "[flaky]\ntoken = \"audit-me-secret\"\n");

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task A_run_is_recorded_with_its_tasks_and_secret_reads()
    {
        _ws.Project("flaky", """
            [[tasks]]
            name = "a"
            script = "a.py"

            [[tasks]]
            name = "b"
            script = "b.sh"
            depends_on = ["a"]
            """, ("a.py", "from pit import sdk\nsdk.get_secret('token')\n"), ("b.sh", "exit 1\n"));

        var result = await Service.RunAsync(new PipelineRunRequest { Dag = "flaky", TriggeredBy = "cli" }, null, CancellationToken.None);

        var run = (await Runs.GetAsync(result.RunId, CancellationToken.None))!;
        Assert.Equal((PipelineRunStatus.Failed, "cli", 1), (run.Status, run.TriggeredBy, run.Attempt));
        Assert.True(File.Exists(Path.Combine(run.RunDir!, "project", "pit.toml")));
        var tasks = await Runs.TasksAsync(result.RunId, CancellationToken.None);
        Assert.Equal([("a", TaskRunStatus.Success), ("b", TaskRunStatus.Failed)], tasks.Select(t => (t.Task, t.Status)).ToList());
        Assert.Equal((1, "exit code 1"), (tasks[1].ExitCode!.Value, tasks[1].StatusDetail));
        var audit = Assert.Single(await _harness.Get<SecretAuditRepository>().ListAsync(result.RunId, null, 10, CancellationToken.None));
        Assert.Equal(("flaky", "a", "token", true), (audit.DagName, audit.Task, audit.Key, audit.Found));
    }

    [Fact]
    public async Task Resume_reruns_only_what_did_not_succeed_in_the_same_snapshot_as_a_new_attempt()
    {
        _ws.Project("resume", """
            [[tasks]]
            name = "a"
            script = "a.sh"

            [[tasks]]
            name = "b"
            script = "b.sh"
            depends_on = ["a"]

            [[tasks]]
            name = "c"
            script = "a.sh"
            depends_on = ["b"]
            """, ("a.sh", "echo ran >> \"$PIT_TASK_NAME.count\"\n"), ("b.sh", "test -f fixed\n"));
        var first = await Service.RunAsync(new PipelineRunRequest { Dag = "resume" }, null, CancellationToken.None);
        var run = (await Runs.GetAsync(first.RunId, CancellationToken.None))!;
        // The fix goes into the run's snapshot: a resume runs what that run ran.
        await File.WriteAllTextAsync(Path.Combine(run.RunDir!, "project", "fixed"), "");

        var resumed = await Service.ResumeAsync(first.RunId, null, null, CancellationToken.None);

        Assert.Equal((first.RunId, 2, PipelineRunStatus.Success), (resumed.RunId, resumed.Attempt, resumed.Outcome.Status));
        var snapshot = Path.Combine(run.RunDir!, "project");
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(snapshot, "a.count")));
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(snapshot, "c.count")));
        var tasks = await Runs.TasksAsync(first.RunId, CancellationToken.None);
        Assert.Equal([(1, "a", TaskRunStatus.Success), (1, "b", TaskRunStatus.Failed), (1, "c", TaskRunStatus.UpstreamFailed),
            (2, "a", TaskRunStatus.Success), (2, "b", TaskRunStatus.Success), (2, "c", TaskRunStatus.Success)],
            tasks.Select(t => (t.RunAttempt, t.Task, t.Status)).ToList());
        Assert.Equal((0, "succeeded in an earlier attempt of this run"), (tasks[3].Attempts, tasks[3].StatusDetail));
        await Assert.ThrowsAsync<RunRefusedException>(() => Service.ResumeAsync(first.RunId, null, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_manual_run_whose_required_dag_has_not_succeeded_is_refused_unless_forced()
    {
        _ws.Project("upstream", "[[tasks]]\nname = \"u\"\nscript = \"u.sh\"\n", ("u.sh", "true\n"));
        _ws.Project("downstream", "[dag]\nrequires = [\"upstream\"]\n[[tasks]]\nname = \"d\"\nscript = \"d.sh\"\n", ("d.sh", "true\n"));

        var refused = await Assert.ThrowsAsync<RunRefusedException>(() => Service.RunAsync(new PipelineRunRequest { Dag = "downstream" }, null, CancellationToken.None));
        var forced = await Service.RunAsync(new PipelineRunRequest { Dag = "downstream", Force = true }, null, CancellationToken.None);
        await Service.RunAsync(new PipelineRunRequest { Dag = "upstream" }, null, CancellationToken.None);
        var allowed = await Service.RunAsync(new PipelineRunRequest { Dag = "downstream" }, null, CancellationToken.None);
        var again = await Assert.ThrowsAsync<RunRefusedException>(() => Service.RunAsync(new PipelineRunRequest { Dag = "downstream" }, null, CancellationToken.None));

        Assert.Contains("requires 'upstream', which has not run yet", refused.Message);
        Assert.Equal(PipelineRunStatus.Success, forced.Outcome.Status);
        Assert.Equal(PipelineRunStatus.Success, allowed.Outcome.Status);
        Assert.Contains("finished before this DAG's previous run", again.Message);
    }

    [Theory]
    [InlineData("skip")]
    [InlineData("wait")]
    [InlineData("allow")]
    public async Task A_scheduled_fire_while_a_run_is_going_follows_overlap(string overlap)
    {
        _ws.Project("busy", $"[dag]\nschedule = \"* * * * *\"\noverlap = \"{overlap}\"\n[[tasks]]\nname = \"t\"\nscript = \"t.sh\"\n", ("t.sh", "sleep 1.5\n"));
        var changes = await _harness.Get<PipelineScheduleSync>().SyncAsync(CancellationToken.None);
        var schedule = Assert.Single(await _harness.Get<ScheduleRepository>().ListAsync("pipeline", null, null, CancellationToken.None));
        var target = _harness.Get<IEnumerable<IScheduleTarget>>().Single(t => t.Kind == "pipeline");

        var first = await target.StartScheduledRunAsync(schedule.TargetId, "schedule:1", CancellationToken.None);
        var second = await target.StartScheduledRunAsync(schedule.TargetId, "schedule:1", CancellationToken.None);
        var third = await target.StartScheduledRunAsync(schedule.TargetId, "schedule:1", CancellationToken.None);
        await Service.WaitForBackgroundRunsAsync();

        Assert.Equal("scheduled busy at '* * * * *' (UTC)", Assert.Single(changes));
        var statuses = new List<(PipelineRunStatus, string?)>();
        foreach (var id in new[] { first, second, third })
        {
            var run = (await Runs.GetAsync(id, CancellationToken.None))!;
            statuses.Add((run.Status, run.StatusDetail));
        }
        Assert.Equal(PipelineRunStatus.Success, statuses[0].Item1);
        switch (overlap)
        {
            case "skip":
                Assert.Equal((PipelineRunStatus.Skipped, $"overlap = skip: run {first} is still running"), statuses[1]);
                Assert.Equal(PipelineRunStatus.Skipped, statuses[2].Item1);
                break;
            case "wait":
                Assert.Equal(PipelineRunStatus.Success, statuses[1].Item1);
                Assert.Equal((PipelineRunStatus.Skipped, $"overlap = wait: run {second} is already queued"), statuses[2]);
                var a = (await Runs.GetAsync(first, CancellationToken.None))!;
                var b = (await Runs.GetAsync(second, CancellationToken.None))!;
                Assert.True(b.StartedAt >= a.FinishedAt);
                break;
            default:
                Assert.Equal([PipelineRunStatus.Success, PipelineRunStatus.Success], statuses.Skip(1).Select(s => s.Item1));
                break;
        }
    }

    [Fact]
    public async Task Removing_the_schedule_key_removes_the_schedule()
    {
        _ws.Project("cron", "[dag]\nschedule = \"0 6 * * *\"\n[[tasks]]\nname = \"t\"\nscript = \"t.sh\"\n", ("t.sh", "true\n"));
        var sync = _harness.Get<PipelineScheduleSync>();
        await sync.SyncAsync(CancellationToken.None);
        _ws.Project("cron", "[[tasks]]\nname = \"t\"\nscript = \"t.sh\"\n");

        var changes = await sync.SyncAsync(CancellationToken.None);

        Assert.Equal(["unscheduled cron"], changes);
        Assert.Empty(await _harness.Get<ScheduleRepository>().ListAsync("pipeline", null, null, CancellationToken.None));
    }
}
