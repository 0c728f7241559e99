using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Tests.Fixtures;
using Xunit;

namespace Pipekit.Pipelines.Tests.Execution;

public sealed class DagExecutorFacts : IDisposable
{
    private readonly TestWorkspace _ws = new();

    public void Dispose() => _ws.Dispose();

    private static string Tasks(params (string Name, string Script, string[] DependsOn, string Extra)[] tasks) =>
        string.Join("\n", tasks.Select(t =>
            $"[[tasks]]\nname = \"{t.Name}\"\nscript = \"{t.Script}\"\ndepends_on = [{string.Join(", ", t.DependsOn.Select(d => $"\"{d}\""))}]\n{t.Extra}\n"));

    private static TaskResult Of(RunOutcome outcome, string task) => outcome.Tasks.Single(t => t.Task == task);

    [Fact]
    public async Task A_task_starts_only_after_all_its_dependencies_succeeded()
    {
        _ws.Project("diamond", Tasks(("a", "s.sh", [], ""), ("b", "s.sh", ["a"], ""), ("c", "slow.sh", ["a"], ""), ("d", "s.sh", ["b", "c"], "")),
            ("s.sh", "sleep 0.05\n"), ("slow.sh", "sleep 0.3\n"));

        var outcome = await _ws.RunAsync("diamond");

        Assert.Equal(PipelineRunStatus.Success, outcome.Status);
        Assert.All(outcome.Tasks, t => Assert.Equal(TaskRunStatus.Success, t.Status));
        Assert.True(Of(outcome, "b").StartedAt >= Of(outcome, "a").FinishedAt);
        Assert.True(Of(outcome, "c").StartedAt >= Of(outcome, "a").FinishedAt);
        Assert.True(Of(outcome, "d").StartedAt >= Of(outcome, "c").FinishedAt);
        // Ready queue, not levels: b and c run side by side, and b finished long before c.
        Assert.True(Of(outcome, "b").FinishedAt < Of(outcome, "c").FinishedAt);
    }

    [Fact]
    public async Task A_20_task_dag_with_parallelism_4_keeps_every_order_constraint_and_the_bound()
    {
        var random = new Random(20);
        var tasks = new List<(string, string, string[], string)>();
        for (var i = 0; i < 20; i++)
        {
            var deps = Enumerable.Range(0, i).Where(_ => random.NextDouble() < 0.15).Select(d => $"t{d:00}").ToArray();
            tasks.Add(($"t{i:00}", $"t{i % 3}.sh", deps, ""));
        }
        _ws.Project("twenty", Tasks([.. tasks]), ("t0.sh", "sleep 0.05\n"), ("t1.sh", "sleep 0.1\n"), ("t2.sh", "sleep 0.15\n"));
        var project = await _ws.LoadAsync("twenty");

        var outcome = await _ws.RunAsync("twenty", maxParallel: 4);

        Assert.Equal(PipelineRunStatus.Success, outcome.Status);
        foreach (var task in project.Tasks)
            foreach (var dependency in task.DependsOn)
                Assert.True(Of(outcome, task.Name).StartedAt >= Of(outcome, dependency).FinishedAt, $"{task.Name} started before {dependency} finished");
        var events = outcome.Tasks.SelectMany(t => new[] { (At: t.StartedAt!.Value, Delta: 1), (At: t.FinishedAt!.Value, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        var running = 0;
        var peak = 0;
        foreach (var e in events)
        {
            running += e.Delta;
            peak = Math.Max(peak, running);
        }
        Assert.InRange(peak, 2, 4);
    }

    [Fact]
    public async Task A_failing_task_is_retried_with_a_separator_in_its_log()
    {
        _ws.Project("retry", Tasks(("flaky", "flaky.sh", [], "retries = 2\nretry_delay = \"10ms\"")),
            ("flaky.sh", "n=$(cat $PIT_RUN_ID.count 2>/dev/null || echo 0); n=$((n+1)); echo $n > $PIT_RUN_ID.count\necho attempt $n\n[ $n -ge 3 ]\n"));

        var outcome = await _ws.RunAsync("retry");

        var flaky = Of(outcome, "flaky");
        Assert.Equal((TaskRunStatus.Success, 3), (flaky.Status, flaky.Attempts));
        var log = await File.ReadAllTextAsync(flaky.LogPath!);
        Assert.Equal("attempt 1\n--- retry attempt 1/2 ---\nattempt 2\n--- retry attempt 2/2 ---\nattempt 3\n", log);
    }

    [Fact]
    public async Task A_task_that_keeps_failing_fails_after_its_last_attempt_and_its_dependents_are_upstream_failed()
    {
        _ws.Project("fail", Tasks(("a", "fail.sh", [], "retries = 1"), ("b", "ok.sh", ["a"], ""), ("c", "ok.sh", ["b"], ""), ("d", "ok.sh", [], "")),
            ("fail.sh", "echo boom >&2\nexit 3\n"), ("ok.sh", "true\n"));

        var outcome = await _ws.RunAsync("fail");

        Assert.Equal(PipelineRunStatus.Failed, outcome.Status);
        Assert.Equal((TaskRunStatus.Failed, 2, 3, "exit code 3"), (Of(outcome, "a").Status, Of(outcome, "a").Attempts, Of(outcome, "a").ExitCode, Of(outcome, "a").Detail));
        Assert.Equal(TaskRunStatus.UpstreamFailed, Of(outcome, "b").Status);
        Assert.Equal(TaskRunStatus.UpstreamFailed, Of(outcome, "c").Status);
        Assert.Equal(TaskRunStatus.Success, Of(outcome, "d").Status);
        Assert.Contains("boom", await File.ReadAllTextAsync(Of(outcome, "a").LogPath!));
    }

    [Fact]
    public async Task A_task_timeout_applies_per_attempt_and_says_so()
    {
        _ws.Project("slow", Tasks(("sleepy", "sleep.sh", [], "timeout = \"300ms\"\nretries = 1")), ("sleep.sh", "echo start\nsleep 30\n"));

        var outcome = await _ws.RunAsync("slow");

        var sleepy = Of(outcome, "sleepy");
        Assert.Equal((TaskRunStatus.Failed, 2, "timed out after 300ms"), (sleepy.Status, sleepy.Attempts, sleepy.Detail));
        Assert.Equal("start\ntimed out after 300ms\n--- retry attempt 1/1 ---\nstart\ntimed out after 300ms\n", await File.ReadAllTextAsync(sleepy.LogPath!));
        Assert.True(outcome.FinishedAt - outcome.StartedAt < TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_timeout_kills_the_whole_process_tree()
    {
        _ws.Project("tree", Tasks(("spawner", "spawn.sh", [], "timeout = \"500ms\"")), ("spawn.sh", """
            (sleep 300 & echo $! > "$PIT_RUN_ID.grandchild"; wait) &
            echo $! > "$PIT_RUN_ID.child"
            sleep 300
            """));

        var outcome = await _ws.RunAsync("tree");

        Assert.Equal("timed out after 500ms", Of(outcome, "spawner").Detail);
        var snapshot = Path.Combine(_ws.Root, "runs", "1", "project");
        foreach (var file in new[] { "1.child", "1.grandchild" })
        {
            var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(snapshot, file))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await ProcessAssert.GoneAsync(pid);
        }
    }

    [Fact]
    public async Task A_background_process_left_behind_by_a_finished_task_is_killed()
    {
        _ws.Project("leak", Tasks(("leaker", "leak.sh", [], "")), ("leak.sh", "sleep 300 > /dev/null 2>&1 &\necho $! > \"$PIT_RUN_ID.bg\"\n"));

        var outcome = await _ws.RunAsync("leak");

        Assert.Equal(TaskRunStatus.Success, Of(outcome, "leaker").Status);
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(_ws.Root, "runs", "1", "project", "1.bg"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await ProcessAssert.GoneAsync(pid);
    }

    [Fact]
    public async Task The_dag_timeout_applies_to_the_whole_run()
    {
        _ws.Project("whole", "[dag]\ntimeout = \"500ms\"\n" + Tasks(("a", "long.sh", [], ""), ("b", "ok.sh", ["a"], "")), ("long.sh", "sleep 30\n"), ("ok.sh", "true\n"));

        var outcome = await _ws.RunAsync("whole");

        Assert.Equal(PipelineRunStatus.Failed, outcome.Status);
        Assert.Equal("timed out after 500ms (whole-run timeout)", outcome.Detail);
        Assert.Equal((TaskRunStatus.Failed, "timed out after 500ms (whole-run timeout)"), (Of(outcome, "a").Status, Of(outcome, "a").Detail));
        Assert.Equal((TaskRunStatus.Skipped, "not started: the run timed out after 500ms"), (Of(outcome, "b").Status, Of(outcome, "b").Detail));
    }

    [Fact]
    public async Task Cancelling_kills_running_tasks_and_skips_those_not_started()
    {
        _ws.Project("cancel", Tasks(("a", "long.sh", [], ""), ("b", "ok.sh", [], ""), ("c", "ok.sh", ["a"], "")),
            ("long.sh", "echo $$ > \"$PIT_RUN_ID.pid\"\nsleep 30\n"), ("ok.sh", "true\n"));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(700));

        var outcome = await _ws.RunAsync("cancel", cancellationToken: cancel.Token);

        Assert.Equal(PipelineRunStatus.Cancelled, outcome.Status);
        Assert.Equal((TaskRunStatus.Failed, "cancelled"), (Of(outcome, "a").Status, Of(outcome, "a").Detail));
        Assert.Equal(TaskRunStatus.Success, Of(outcome, "b").Status);
        Assert.Equal((TaskRunStatus.Skipped, "not started: the run was cancelled"), (Of(outcome, "c").Status, Of(outcome, "c").Detail));
        var pid = int.Parse((await File.ReadAllTextAsync(Path.Combine(_ws.Root, "runs", "1", "project", "1.pid"))).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        await ProcessAssert.GoneAsync(pid);
    }

    [Fact]
    public async Task Single_task_mode_runs_one_task_without_its_dependencies()
    {
        _ws.Project("single", Tasks(("a", "fail.sh", [], ""), ("b", "ok.sh", ["a"], "")), ("fail.sh", "exit 1\n"), ("ok.sh", "true\n"));

        var outcome = await _ws.RunAsync("single", onlyTask: "b");

        Assert.Equal(PipelineRunStatus.Success, outcome.Status);
        Assert.Equal(TaskRunStatus.Skipped, Of(outcome, "a").Status);
        Assert.Equal(TaskRunStatus.Success, Of(outcome, "b").Status);
    }

    [Fact]
    public async Task Tasks_run_from_a_snapshot_with_the_pit_environment()
    {
        var dir = _ws.Project("env", "[dag]\nname = \"env_dag\"\n" + Tasks(("show", "tasks/show.sh", [], "")),
            ("tasks/show.sh", "echo \"$PIT_RUN_ID $PIT_TASK_NAME $PIT_DAG_NAME $(pwd)\"\ntest -S \"$PIT_SOCKET\" && echo socket ok\n"),
            (".git/HEAD", "ref\n"), ("__pycache__/x.pyc", "x"), (".venv/bin/python", "x"), ("node_modules/m.js", "x"));
        File.SetUnixFileMode(Path.Combine(dir, "tasks", "show.sh"), (UnixFileMode)0b111_101_000);
        File.CreateSymbolicLink(Path.Combine(dir, "link.sh"), Path.Combine(dir, "tasks", "show.sh"));
        var lines = new List<string>();

        var project = await _ws.LoadAsync("env_dag");
        var plan = _ws.Plan(project, output: line => { lock (lines) lines.Add(line); });
        var outcome = await _ws.Executor().ExecuteAsync(plan, CancellationToken.None);

        Assert.Equal(PipelineRunStatus.Success, outcome.Status);
        var snapshot = plan.SnapshotDirectory;
        Assert.Equal([$"[show] 1 show env_dag {snapshot}", "[show] socket ok"], lines);
        Assert.Equal((UnixFileMode)0b111_101_000, File.GetUnixFileMode(Path.Combine(snapshot, "tasks", "show.sh")));
        Assert.Equal(["pit.toml", "tasks"], Directory.EnumerateFileSystemEntries(snapshot).Select(p => Path.GetFileName(p)!).Order().ToArray());
    }

    [Fact]
    public async Task A_custom_runner_gets_the_script_path_appended()
    {
        _ws.Project("custom", Tasks(("c", "job.txt", [], "runner = \"$ sh -c 'echo custom: $(cat \\\"$1\\\")' sh\"")), ("job.txt", "hello"));

        var outcome = await _ws.RunAsync("custom");

        Assert.Equal(TaskRunStatus.Success, Of(outcome, "c").Status);
        Assert.Equal("custom: hello\n", await File.ReadAllTextAsync(Of(outcome, "c").LogPath!));
    }

    [Fact]
    public async Task Secret_values_printed_by_a_task_are_redacted_in_its_log()
    {
        var secrets = await _ws.SecretsAsync("[leaky]\ntoken = \"super-secret-token\"\n");
        _ws.Project("leaky", Tasks(("p", "p.py", [], "")), ("p.py", "from pit import sdk\nprint('token is', sdk.get_secret('token'))\n"));

        var outcome = await _ws.RunAsync("leaky", secrets: secrets);

        Assert.Equal(TaskRunStatus.Success, Of(outcome, "p").Status);
        Assert.Equal("token is ***\n", await File.ReadAllTextAsync(Of(outcome, "p").LogPath!));
    }
}
