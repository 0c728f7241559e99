using Pipekit.Core.Configuration;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.State;
using Pipekit.Pipelines.Tests.Fixtures;
using Xunit;

namespace Pipekit.Pipelines.Tests.Runs;

/// <summary>
/// What a resume re-runs: the failed tasks (and tasks left running or pending by a run whose process died), the tasks after
/// them that did not run, and whatever those need that did not succeed; tasks that succeeded are kept, and so are tasks the
/// run stopped before starting that depend on no failure.
/// </summary>
public sealed class ResumeFacts : IAsyncLifetime
{
    private readonly TestWorkspace _ws = new();
    private PipelinesHarness _harness = null!;

    private PipelineRunService Service => _harness.Get<PipelineRunService>();

    private PipelineRunRepository Runs => _harness.Get<PipelineRunRepository>();

    public async Task InitializeAsync() =>
        _harness = await PipelinesHarness.CreateAsync(_ws, config: new PipekitConfig { Pipelines = new PipelinesOptions { MaxParallelTasks = 1 } });

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        _ws.Dispose();
    }

    [Fact]
    public async Task Resume_reruns_the_failed_task_and_what_it_blocked_but_not_a_task_the_stop_skipped_on_its_own()
    {
        // One task at a time: "slow" starts first and is killed by the whole-run timeout; "after" (waiting for it) and
        // "independent" (waiting for a free slot) are skipped by the stop. Only "slow" and "after" are resumed.
        _ws.Project("stopped", """
            [dag]
            timeout = "1s"

            [[tasks]]
            name = "slow"
            script = "slow.sh"

            [[tasks]]
            name = "independent"
            script = "count.sh"

            [[tasks]]
            name = "after"
            script = "count.sh"
            depends_on = ["slow"]
            """, ("slow.sh", "test -f fixed || sleep 30\n"), ("count.sh", "echo ran >> \"$PIT_TASK_NAME.count\"\n"));
        var first = await Service.RunAsync(new PipelineRunRequest { Dag = "stopped" }, null, CancellationToken.None);
        var run = (await Runs.GetAsync(first.RunId, CancellationToken.None))!;
        var snapshot = Path.Combine(run.RunDir!, "project");
        await File.WriteAllTextAsync(Path.Combine(snapshot, "fixed"), "");

        var resumed = await Service.ResumeAsync(first.RunId, null, null, CancellationToken.None);

        Assert.Equal(PipelineRunStatus.Success, resumed.Outcome.Status);
        var tasks = await Runs.TasksAsync(first.RunId, CancellationToken.None);
        Assert.Equal([(1, "slow", TaskRunStatus.Failed), (1, "independent", TaskRunStatus.Skipped), (1, "after", TaskRunStatus.Skipped),
            (2, "slow", TaskRunStatus.Success), (2, "independent", TaskRunStatus.Skipped), (2, "after", TaskRunStatus.Success)],
            tasks.Select(t => (t.RunAttempt, t.Task, t.Status)).ToList());
        Assert.StartsWith("not re-run by the resume", tasks[4].StatusDetail);
        Assert.False(File.Exists(Path.Combine(snapshot, "independent.count")));
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(snapshot, "after.count")));
    }

    [Fact]
    public async Task A_resumed_task_also_reruns_a_dependency_that_the_stop_skipped()
    {
        // "join" needs "slow" (killed) and "other" (never started): resuming "join" needs "other" to run as well.
        _ws.Project("joined", """
            [dag]
            timeout = "1s"

            [[tasks]]
            name = "slow"
            script = "slow.sh"

            [[tasks]]
            name = "other"
            script = "count.sh"

            [[tasks]]
            name = "join"
            script = "count.sh"
            depends_on = ["slow", "other"]
            """, ("slow.sh", "test -f fixed || sleep 30\n"), ("count.sh", "echo ran >> \"$PIT_TASK_NAME.count\"\n"));
        var first = await Service.RunAsync(new PipelineRunRequest { Dag = "joined" }, null, CancellationToken.None);
        var snapshot = Path.Combine((await Runs.GetAsync(first.RunId, CancellationToken.None))!.RunDir!, "project");
        await File.WriteAllTextAsync(Path.Combine(snapshot, "fixed"), "");

        var resumed = await Service.ResumeAsync(first.RunId, null, null, CancellationToken.None);

        Assert.Equal(PipelineRunStatus.Success, resumed.Outcome.Status);
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(snapshot, "other.count")));
        Assert.Equal("ran\n", await File.ReadAllTextAsync(Path.Combine(snapshot, "join.count")));
    }

    [Fact]
    public async Task A_run_stopped_with_nothing_failed_has_nothing_to_resume()
    {
        // A run cancelled between tasks: "first" succeeded, "second" was never started and depends on no failure.
        var project = _ws.Project("calm", "[[tasks]]\nname = \"first\"\nscript = \"t.sh\"\n[[tasks]]\nname = \"second\"\nscript = \"t.sh\"\n", ("t.sh", "true\n"));
        var pipeline = await _harness.Get<PipelineRepository>().EnsureAsync("calm", project, CancellationToken.None);
        var runId = await Runs.CreateAsync(pipeline.Id, "calm", PipelineRunStatus.Running, null, "cli", null, "test:1", CancellationToken.None);
        var runDir = Path.Combine(_ws.Root, "runs", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Directory.CreateDirectory(Path.Combine(runDir, "project"));
        foreach (var file in Directory.GetFiles(project)) File.Copy(file, Path.Combine(runDir, "project", Path.GetFileName(file)));
        await Runs.BeginAttemptAsync(runId, 1, runDir, ["first", "second"], "test:1", CancellationToken.None);
        await Runs.TaskFinishedAsync(runId, 1, new TaskResult("first", TaskRunStatus.Success, 1, 0, null, null, null, null), CancellationToken.None);
        await Runs.TaskFinishedAsync(runId, 1, new TaskResult("second", TaskRunStatus.Skipped, 0, null, "not started: the run was cancelled", null, null, null), CancellationToken.None);
        await Runs.FinishAsync(runId, PipelineRunStatus.Cancelled, "cancelled", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<RunRefusedException>(() => Service.ResumeAsync(runId, null, null, CancellationToken.None));

        Assert.Contains("start a new run", refused.Message);
        Assert.Equal(1, (await Runs.GetAsync(runId, CancellationToken.None))!.Attempt);
    }
}
