using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Pipekit.Core.Configuration;
using Pipekit.Server.Tests.Process;
using Xunit;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>
/// <c>pipekit run</c> killed with SIGKILL while the server runs on the same state store (issue 9, item 12): the lock its
/// dead process left must not block the module. It is cleared by the next run start, by the server's periodic sweep and
/// by a cancel, and the run it left stays in the run log as failed, saying why.
/// </summary>
public sealed class KilledRunFacts
{
    [Fact]
    public async Task A_run_start_after_a_killed_cli_run_clears_its_lock_and_runs()
    {
        using var app = new PipekitApp();
        var client = app.Client();
        var (module, killed) = await KillRunningCliRunAsync(app, client);

        await MakeFastAsync(client, module);
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;

        Assert.Equal("success", (string)(await client.WaitForRunAsync(runId))["status"]!);
        await AssertInterruptedAsync(client, module, killed);
    }

    [Fact]
    public async Task A_cancel_of_a_run_whose_cli_process_was_killed_clears_the_lock_and_records_the_run_failed()
    {
        using var app = new PipekitApp();
        var client = app.Client();
        var (module, killed) = await KillRunningCliRunAsync(app, client);

        var cancelled = await client.PostJsonAsync($"/api/modules/{module}/cancel", null, HttpStatusCode.Accepted);

        var run = await AssertInterruptedAsync(client, module, killed);
        Assert.Equal((long)run["id"]!, (long)cancelled["run_id"]!);
        Assert.False((bool)(await client.GetJsonAsync($"/api/modules/{module}"))["running"]!);
        await MakeFastAsync(client, module);
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        Assert.Equal("success", (string)(await client.WaitForRunAsync(runId))["status"]!);
    }

    [Fact]
    public async Task The_servers_periodic_sweep_clears_the_lock_of_a_killed_cli_run_without_any_request()
    {
        using var app = new PipekitApp(sync: new SyncOptions { StaleLockSweepSeconds = 1 });
        var client = app.Client();
        var (module, killed) = await KillRunningCliRunAsync(app, client);

        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        while ((bool)(await client.GetJsonAsync($"/api/modules/{module}"))["running"]!)
            await Task.Delay(100, guard.Token);

        await AssertInterruptedAsync(client, module, killed);
    }

    // Starts `pipekit run slow` as a real child process on the app's state store, waits until it holds the module's lock,
    // then kills it with SIGKILL (and reaps it, as a shell would). Returns the module id and the killed process's PID.
    private static async Task<(long Module, int Pid)> KillRunningCliRunAsync(PipekitApp app, HttpClient client)
    {
        var (source, dest) = await client.CreateSqliteConnectionsAsync(app);
        var module = await client.CreateSlowModuleAsync(source, dest, "slow");
        using var cli = System.Diagnostics.Process.Start(ServeProcess.Command(app.Home, "run", "slow"))!;
        cli.StandardInput.Close();
        _ = cli.StandardOutput.ReadToEndAsync();
        _ = cli.StandardError.ReadToEndAsync();
        try
        {
            using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            while (!(bool)(await client.GetJsonAsync($"/api/modules/{module}"))["running"]!)
            {
                Assert.False(cli.HasExited, "pipekit run exited before it took the lock");
                await Task.Delay(100, guard.Token);
            }
            var refused = await (await client.PostAsync($"/api/modules/{module}/run")).ProblemAsync(HttpStatusCode.Conflict);
            Assert.Contains("already running", (string)refused["detail"]!);
        }
        finally
        {
            cli.Kill(); // SIGKILL: the run cannot record its end or release its lock
            await cli.WaitForExitAsync();
        }
        return (module, cli.Id);
    }

    private static async Task MakeFastAsync(HttpClient client, long module) =>
        await client.PostJsonAsync($"/api/modules/{module}", new { source_query = "SELECT id, customer, amount FROM orders" });

    // The killed run stays in the run log, failed, naming the process that is gone.
    private static async Task<JsonNode> AssertInterruptedAsync(HttpClient client, long module, int pid)
    {
        var runs = (await client.GetJsonAsync($"/api/modules/{module}/runs"))["items"]!.AsArray();
        var killed = runs.Single(r => (string)r!["triggered_by"]! == "cli")!;
        var run = await client.GetJsonAsync($"/api/runs/{killed["id"]}");
        Assert.Equal("error", (string)run["status"]!);
        Assert.Contains($":{pid}:", (string)run["error"]!);
        Assert.Contains("is gone (killed or crashed)", (string)run["error"]!);
        Assert.NotNull(run["finished_at"]);
        return run;
    }
}
