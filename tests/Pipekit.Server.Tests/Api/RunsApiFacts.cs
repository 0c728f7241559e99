using System.Net;
using System.Text.Json.Nodes;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public abstract class RunsApiFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(new ServerOptions { MaxConcurrentRuns = 1 }, store: store);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_run_returns_202_with_its_id_at_once_and_ends_success_with_the_rows_in_the_destination()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);

        var response = await client.PostAsync($"/api/modules/{module}/run");
        var started = await response.JsonAsync(HttpStatusCode.Accepted);
        var runId = (long)started["run_id"]!;
        Assert.Equal($"/api/runs/{runId}", response.Headers.Location?.ToString());

        var run = await client.WaitForRunAsync(runId);
        Assert.Equal("success", (string)run["status"]!);
        Assert.Equal(3, (long)run["row_count"]!);
        Assert.Equal("api", (string)run["triggered_by"]!);
        Assert.Contains("SELECT id, customer, amount FROM orders", (string)run["resolved_source_sql"]!);
        Assert.Contains("merge committed", (string)run["live_log"]!);
        Assert.False((bool)(await client.GetJsonAsync($"/api/modules/{module}"))["running"]!);
    }

    [Fact]
    public async Task A_dry_run_moves_no_data()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", new { dry_run = true }, HttpStatusCode.Accepted))["run_id"]!;
        Assert.Equal("dry_run", (string)(await client.WaitForRunAsync(runId))["status"]!);
    }

    [Fact]
    public async Task Runs_beyond_the_limit_wait_as_queued_and_cancelling_either_ends_it_cancelled_and_unlocked()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var slow = await client.CreateSlowModuleAsync(source, dest, "slow");
        var quick = await client.CreateOrdersModuleAsync(source, dest);

        var slowRun = (long)(await client.PostJsonAsync($"/api/modules/{slow}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(slowRun, s => s == "running");
        var queuedRun = (long)(await client.PostJsonAsync($"/api/modules/{quick}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        Assert.Equal("queued", (string)(await client.GetJsonAsync($"/api/runs/{queuedRun}"))["status"]!);
        Assert.Single((await client.GetJsonAsync("/api/runs?status=queued"))["items"]!.AsArray());

        // Already queued or running here: 409.
        await (await client.PostAsync($"/api/modules/{quick}/run")).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync($"/api/modules/{slow}/run")).ProblemAsync(HttpStatusCode.Conflict);

        // Cancelling the queued one: it never starts.
        var cancelled = await client.PostJsonAsync($"/api/modules/{quick}/cancel", null, HttpStatusCode.Accepted);
        Assert.Equal(queuedRun, (long)cancelled["run_id"]!);
        var queued = await client.WaitForRunAsync(queuedRun);
        Assert.Equal("cancelled", (string)queued["status"]!);
        Assert.Equal("cancelled before it started", (string)queued["error"]!);

        // Cancelling the running one: it ends cancelled and its lock is released.
        await client.PostJsonAsync($"/api/modules/{slow}/cancel", null, HttpStatusCode.Accepted);
        Assert.Equal("cancelled", (string)(await client.WaitForRunAsync(slowRun))["status"]!);
        Assert.False((bool)(await client.GetJsonAsync($"/api/modules/{slow}"))["running"]!);

        // The slot is free again.
        var again = (long)(await client.PostJsonAsync($"/api/modules/{quick}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        Assert.Equal("success", (string)(await client.WaitForRunAsync(again))["status"]!);
    }

    [Fact]
    public async Task A_run_whose_end_is_recorded_no_longer_blocks_the_next_one()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var slow = await client.CreateSlowModuleAsync(source, dest, "slow");
        var first = (long)(await client.PostJsonAsync($"/api/modules/{slow}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(first, s => s == "running");
        await (await client.PostAsync($"/api/modules/{slow}/run")).ProblemAsync(HttpStatusCode.Conflict);

        // The moment between a run writing its end (which releases its lock) and the queue forgetting it: a client
        // that has seen the run end may start the next one at once.
        await _app.Service<Pipekit.Sync.Runs.RunLogRepository>().FinishAsync(first,
            new Pipekit.Sync.Runs.RunCompletion { Status = Pipekit.Sync.Runs.RunStatus.Cancelled },
            new Pipekit.Sync.Locks.HeldLock(slow, Pipekit.Sync.Locks.ProcessIdentity.Current()));

        var second = (long)(await client.PostJsonAsync($"/api/modules/{slow}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        Assert.NotEqual(first, second);
        // The first run's task still holds this server's one slot, so the second waits queued; cancelling reaches it.
        Assert.Equal(second, (long)(await client.PostJsonAsync($"/api/modules/{slow}/cancel", null, HttpStatusCode.Accepted))["run_id"]!);
        Assert.Equal("cancelled", (string)(await client.WaitForRunAsync(second))["status"]!);
    }

    [Fact]
    public async Task Stopping_the_server_cancels_in_flight_runs_and_releases_their_locks()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var slow = await client.CreateSlowModuleAsync(source, dest, "slow");
        var quick = await client.CreateOrdersModuleAsync(source, dest);
        var running = (long)(await client.PostJsonAsync($"/api/modules/{slow}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(running, s => s == "running");
        var queued = (long)(await client.PostJsonAsync($"/api/modules/{quick}/run", null, HttpStatusCode.Accepted))["run_id"]!;

        await _app.Service<Pipekit.Sync.Runs.RunCoordinator>().StopAsync();

        var runs = _app.Service<Pipekit.Sync.Runs.RunLogRepository>();
        Assert.Equal(Pipekit.Sync.Runs.RunStatus.Cancelled, (await runs.GetAsync(running, CancellationToken.None))!.Status);
        Assert.Equal(Pipekit.Sync.Runs.RunStatus.Cancelled, (await runs.GetAsync(queued, CancellationToken.None))!.Status);
        Assert.False((await _app.Service<Pipekit.Sync.Modules.ModuleRepository>().GetAsync(slow, CancellationToken.None))!.Running);
        await (await client.PostAsync($"/api/modules/{quick}/run")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task The_run_list_filters_and_pages_newest_first_by_cursor()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var a = await client.CreateOrdersModuleAsync(source, dest, "a", "ta");
        var b = await client.CreateOrdersModuleAsync(source, dest, "b", "tb");
        var ids = new List<long>();
        foreach (var module in new[] { a, b, a, b, a })
        {
            var id = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
            await client.WaitForRunAsync(id);
            ids.Add(id);
        }

        var seen = new List<long>();
        string? next = "/api/runs?limit=2";
        while (next is not null)
        {
            var page = await client.GetJsonAsync(next);
            seen.AddRange(page["items"]!.AsArray().Select(r => (long)r!["id"]!));
            next = page["next_cursor"] is JsonNode cursor ? $"/api/runs?limit=2&cursor={(long)cursor}" : null;
        }
        Assert.Equal(ids.AsEnumerable().Reverse(), seen);

        var ofA = await client.GetJsonAsync($"/api/runs?module_id={a}&status=success");
        Assert.Equal(3, ofA["items"]!.AsArray().Count);
        Assert.Equal(2, (await client.GetJsonAsync($"/api/modules/{b}/runs"))["items"]!.AsArray().Count);
        Assert.Empty((await client.GetJsonAsync("/api/runs?since=2999-01-01T00:00:00Z"))["items"]!.AsArray());
        Assert.Equal(5, (await client.GetJsonAsync("/api/runs?since=2000-01-01T00:00:00Z"))["items"]!.AsArray().Count);

        var badStatus = await (await client.GetAsync("/api/runs?status=exploded")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(badStatus["errors"]!["status"]);
        await (await client.GetAsync("/api/runs?since=yesterday")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.GetAsync("/api/runs/424242")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Metrics_report_runs_by_status_durations_rows_and_http_requests()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(runId);
        // The run row is written before the queue records its metrics; give the queue its moment.
        string text = "";
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!text.Contains("pipekit_runs_total{status=\"success\"} 1", StringComparison.Ordinal))
        {
            text = await (await client.GetAsync("/metrics")).Content.ReadAsStringAsync(guard.Token);
            if (!text.Contains("pipekit_runs_total{status=\"success\"} 1", StringComparison.Ordinal)) await Task.Delay(20, guard.Token);
        }
        Assert.Contains("pipekit_run_duration_seconds_count{status=\"success\"} 1", text);
        Assert.Contains("pipekit_run_rows_sum{status=\"success\"} 3", text);
        Assert.Contains("pipekit_runs_running 0", text);
        Assert.Contains("pipekit_runs_queued 0", text);
        Assert.Contains("# TYPE pipekit_scheduler_fires_total counter", text);
        Assert.Contains("http_server_request_duration_seconds_bucket{code=\"202\",method=\"POST\",route=\"/api/modules/{id:long}/run\"", text);
    }

    [Fact]
    public async Task Verify_after_a_run_is_recorded_and_the_verify_route_finds_a_row_lost_behind_the_engines_back()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        var updated = await client.PostJsonAsync($"/api/modules/{module}", new { merge_key = "id", verify = "keys", schema_change = "evolve" }, HttpStatusCode.OK);
        Assert.Equal(("keys", "evolve", "none"), ((string)updated["verify"]!, (string)updated["schema_change"]!, (string)updated["delete_detection"]!));
        await (await client.PostAsync($"/api/modules/{module}", new { verify = "always" })).ProblemAsync(HttpStatusCode.BadRequest);

        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        var run = await client.WaitForRunAsync(runId);
        Assert.Equal("success", (string)run["status"]!);
        Assert.False((bool)run["drift"]!);
        Assert.True((bool)run["verify"]!["match"]!);
        Assert.False((bool)(await client.GetJsonAsync("/api/runs"))["items"]![0]!["drift"]!);

        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_app.DestPath};Pooling=False"))
        {
            await c.OpenAsync();
            await using var command = c.CreateCommand();
            command.CommandText = "DELETE FROM orders_copy WHERE id = 2";
            await command.ExecuteNonQueryAsync();
        }
        var drift = await client.PostJsonAsync($"/api/modules/{module}/verify", null, HttpStatusCode.OK);
        var counts = await client.PostJsonAsync($"/api/modules/{module}/verify", new { mode = "counts" }, HttpStatusCode.OK);

        Assert.False((bool)drift["match"]!);
        Assert.Equal((3, 2, 1), ((long)drift["source_rows"]!, (long)drift["dest_rows"]!, (long)drift["missing"]!));
        Assert.Equal("2", (string)drift["missing_sample"]![0]!);
        Assert.Equal("counts", (string)counts["compared"]!);
        Assert.False((bool)counts["match"]!);
    }

    public sealed class OnSqlite() : RunsApiFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : RunsApiFacts(TestStateStore.Postgres(postgres));
}
