using System.Net;
using Pipekit.Core.State;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Process;

public sealed class ServeProcessFacts
{
    [Fact]
    public async Task After_kill_9_a_restart_clears_the_lock_and_marks_the_run_interrupted_and_sigterm_cancels_cleanly()
    {
        using var home = new TempDirectory();
        var setPassword = await ServeProcess.RunAsync(home.Path, PipekitApp.Password + "\n", "set-password", PipekitApp.User, "--password-stdin");
        Assert.Equal(0, setPassword.ExitCode);
        var source = home.File("source.db");
        await File.WriteAllBytesAsync(source, []);

        long module, runId;
        using (var first = await ServeProcess.StartAsync(home.Path))
        {
            var client = first.Client;
            var dest = await client.CreateConnectionAsync("dest", $"sqlite://{home.File("dest.db")}");
            var src = await client.CreateConnectionAsync("source", $"sqlite://{source}");
            module = await client.CreateSlowModuleAsync(src, dest, "slow");
            runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
            await client.WaitForRunAsync(runId, s => s == "running");
            await first.KillHardAsync();
        }

        using (var second = await ServeProcess.StartAsync(home.Path))
        {
            var run = await second.Client.GetJsonAsync($"/api/runs/{runId}");
            Assert.Equal("error", (string)run["status"]!);
            Assert.StartsWith("interrupted: the process that ran it (", (string)run["error"]!);
            Assert.Contains(") is gone (killed or crashed)", (string)run["error"]!);
            Assert.False((bool)(await second.Client.GetJsonAsync($"/api/modules/{module}"))["running"]!);

            // A graceful stop: SIGTERM while a run is in flight ends it cancelled and unlocked, and the process exits 0.
            runId = (long)(await second.Client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
            await second.Client.WaitForRunAsync(runId, s => s == "running");
            Assert.Equal(0, await second.TerminateAsync());
        }

        var store = new StateStore(home.File("pipekit.db"), 5000, Migrator.ForParts([StatePart.Core, Pipekit.Sync.State.SyncSchema.Part], StoreKind.Sqlite, TimeProvider.System));
        var redactor = new Pipekit.Core.Secrets.Redactor([]);
        var stored = await new RunLogRepository(store, TimeProvider.System, redactor).GetAsync(runId, CancellationToken.None);
        Assert.Equal(RunStatus.Cancelled, stored!.Status);
        Assert.False((await new ModuleRepository(store, TimeProvider.System).GetAsync(module, CancellationToken.None))!.Running);
    }

    [Fact]
    public async Task Serve_refuses_a_non_loopback_address_while_no_password_is_set()
    {
        using var home = new TempDirectory();
        var result = await ServeProcess.RunAsync(home.Path, null, "serve", "--host", "0.0.0.0", "--port", FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no password set; run 'pipekit set-password USER' first", result.Error);
    }
}
