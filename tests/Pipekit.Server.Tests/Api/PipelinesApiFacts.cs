using System.Net;
using System.Text.Json.Nodes;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.State;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public sealed class PipelinesApiFacts : IDisposable
{
    private readonly PipekitApp _app = new();

    public void Dispose() => _app.Dispose();

    private void Project(string name, string toml, params (string Path, string Text)[] files)
    {
        var directory = Path.Combine(_app.Home, "workspace", "projects", name);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "pit.toml"), toml);
        foreach (var (path, text) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(directory, path))!);
            File.WriteAllText(Path.Combine(directory, path), text);
        }
    }

    private static async Task<JsonNode> WaitForPipelineRunAsync(HttpClient client, long id)
    {
        for (var i = 0; i < 200; i++)
        {
            var run = await client.GetJsonAsync($"/api/pipeline-runs/{id}");
            if ((string)run["run"]!["status"]! is not ("running" or "queued")) return run;
            await Task.Delay(100);
        }
        throw new TimeoutException($"pipeline run {id} did not finish");
    }

    [Fact]
    public async Task A_dag_is_listed_validated_run_and_its_run_read_with_tasks()
    {
        Project("report", "[[tasks]]\nname = \"a\"\nscript = \"a.sh\"\n[[tasks]]\nname = \"b\"\nscript = \"b.sh\"\ndepends_on = [\"a\"]\n",
            ("a.sh", "echo one\necho two\n"), ("b.sh", "exit 2\n"));
        Project("broken", "[[tasks]]\nname = \"x\"\nscript = \"missing.sh\"\n");
        var client = _app.Client();

        var list = await client.GetJsonAsync("/api/pipelines");
        var validation = await client.GetJsonAsync("/api/pipelines/validate");
        var dag = await client.GetJsonAsync("/api/pipelines/report");
        var started = await client.PostJsonAsync("/api/pipelines/report/run", null, HttpStatusCode.Accepted);
        var run = await WaitForPipelineRunAsync(client, (long)started["run_id"]!);

        Assert.Equal(["broken", "report"], list["items"]!.AsArray().Select(p => (string)p!["name"]!));
        Assert.False((bool)validation["valid"]!);
        Assert.Contains("missing.sh not found", (string)validation["problems"]![0]!["message"]!);
        Assert.Equal(["a"], dag["tasks"]![1]!["depends_on"]!.AsArray().Select(d => (string)d!));
        Assert.Equal(("failed", "api"), ((string)run["run"]!["status"]!, (string)run["run"]!["triggered_by"]!));
        Assert.Equal([("a", "success"), ("b", "failed")], run["tasks"]!.AsArray().Select(t => ((string)t!["task"]!, (string)t["status"]!)));
        Assert.Equal(2, (int)run["tasks"]![1]!["exit_code"]!);
        Assert.Single((await client.GetJsonAsync("/api/pipeline-runs?dag=report"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_task_log_streams_as_server_sent_events_until_the_task_ends()
    {
        Project("stream", "[[tasks]]\nname = \"talk\"\nscript = \"t.sh\"\n", ("t.sh", "echo first\nsleep 0.5\necho second\n"));
        var client = _app.Client();
        var started = await client.PostJsonAsync("/api/pipelines/stream/run", new { }, HttpStatusCode.Accepted);
        var id = (long)started["run_id"]!;

        var text = await client.GetStringAsync($"/api/pipeline-runs/{id}/tasks/talk/log");

        Assert.Contains("event: log\ndata: first\nid: 1\n", text.Replace("\r", ""));
        Assert.Contains("data: second", text);
        Assert.Contains("event: end\ndata: success", text.Replace("\r", ""));
    }

    [Fact]
    public async Task A_log_asked_for_before_the_run_has_written_its_task_rows_waits_for_the_task()
    {
        // A run answers 202 before its executor writes the task rows; this plays those steps by hand, in that order.
        var runs = _app.Service<PipelineRunRepository>();
        var pipeline = await _app.Service<PipelineRepository>().EnsureAsync("late", Path.Combine(_app.Home, "late"), CancellationToken.None);
        var id = await runs.CreateAsync(pipeline.Id, "late", PipelineRunStatus.Running, null, "api", null, "test:1", CancellationToken.None);
        var client = _app.Client();

        var streaming = client.GetStringAsync($"/api/pipeline-runs/{id}/tasks/talk/log");
        await Task.Delay(300);
        var waitedForRows = !streaming.IsCompleted;
        var runDir = Path.Combine(_app.Home, "late-run");
        Directory.CreateDirectory(Path.Combine(runDir, "logs"));
        File.WriteAllText(Path.Combine(runDir, "logs", "talk.log"), "hello\n");
        await runs.BeginAttemptAsync(id, 1, runDir, ["talk"], "test:1", CancellationToken.None);
        var unknown = await client.GetAsync($"/api/pipeline-runs/{id}/tasks/nope/log");
        await runs.TaskFinishedAsync(id, 1, new TaskResult("talk", TaskRunStatus.Success, 1, 0, null, null, null, null), CancellationToken.None);
        var text = (await streaming).Replace("\r", "");

        Assert.True(waitedForRows);
        Assert.Contains("event: log\ndata: hello\nid: 1\n", text);
        Assert.Contains("event: end\ndata: success", text);
        await unknown.ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_log_stream_ends_when_its_run_ended_without_finishing_the_task()
    {
        var runs = _app.Service<PipelineRunRepository>();
        var pipeline = await _app.Service<PipelineRepository>().EnsureAsync("gone", Path.Combine(_app.Home, "gone"), CancellationToken.None);
        var id = await runs.CreateAsync(pipeline.Id, "gone", PipelineRunStatus.Running, null, "api", null, "test:1", CancellationToken.None);
        await runs.BeginAttemptAsync(id, 1, Path.Combine(_app.Home, "gone-run"), ["talk"], "test:1", CancellationToken.None);
        await runs.FinishAsync(id, PipelineRunStatus.Failed, "owner process gone", CancellationToken.None);

        var text = (await _app.Client().GetStringAsync($"/api/pipeline-runs/{id}/tasks/talk/log").WaitAsync(TimeSpan.FromSeconds(30))).Replace("\r", "");

        Assert.Contains("event: end\ndata: pending", text);
    }

    [Fact]
    public async Task Unknown_dags_and_runs_are_404_and_a_failed_run_can_be_resumed()
    {
        Project("flaky", "[[tasks]]\nname = \"f\"\nscript = \"f.sh\"\n", ("f.sh", "test -f ok\n"));
        var client = _app.Client();

        var missingDag = await (await client.PostAsync("/api/pipelines/nope/run")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/pipeline-runs/999")).ProblemAsync(HttpStatusCode.NotFound);
        var started = await client.PostJsonAsync("/api/pipelines/flaky/run", null, HttpStatusCode.Accepted);
        var id = (long)started["run_id"]!;
        await WaitForPipelineRunAsync(client, id);
        File.WriteAllText(Path.Combine(_app.Home, "runs", id.ToString(System.Globalization.CultureInfo.InvariantCulture), "project", "ok"), "");
        var resumed = await client.PostJsonAsync($"/api/pipeline-runs/{id}/resume", null, HttpStatusCode.Accepted);
        var run = await WaitForPipelineRunAsync(client, id);

        Assert.Contains("no DAG 'nope'", (string)missingDag["detail"]!);
        Assert.Equal(2, (int)resumed["attempt"]!);
        Assert.Equal(("success", 2), ((string)run["run"]!["status"]!, (int)run["run"]!["attempt"]!));
        await (await client.PostAsync($"/api/pipeline-runs/{id}/resume")).ProblemAsync(HttpStatusCode.UnprocessableEntity);
    }
}
