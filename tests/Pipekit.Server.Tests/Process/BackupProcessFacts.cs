using System.Net;
using Dapper;
using Microsoft.Data.Sqlite;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Process;

public sealed class BackupProcessFacts
{
    [Fact]
    public async Task Backup_works_during_an_active_run_and_restore_waits_until_the_server_has_stopped()
    {
        using var home = new TempDirectory();
        Assert.Equal(0, (await ServeProcess.RunAsync(home.Path, PipekitApp.Password + "\n", "set-password", PipekitApp.User, "--password-stdin")).ExitCode);
        var source = home.File("source.db");
        await File.WriteAllBytesAsync(source, []);
        var copy = home.File("during-run.db");

        using (var serve = await ServeProcess.StartAsync(home.Path))
        {
            var client = serve.Client;
            var dest = await client.CreateConnectionAsync("dest", $"sqlite://{home.File("dest.db")}");
            var src = await client.CreateConnectionAsync("source", $"sqlite://{source}");
            var module = await client.CreateSlowModuleAsync(src, dest, "slow");
            var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
            await client.WaitForRunAsync(runId, s => s == "running");

            var backup = await ServeProcess.RunAsync(home.Path, null, "backup", copy);
            Assert.True(backup.ExitCode == 0, backup.Error);
            Assert.Contains($"backed up  {copy}", backup.Out);
            Assert.Matches(@"schema +core \d+, sync \d+", backup.Out);

            var refused = await ServeProcess.RunAsync(home.Path, null, "restore", copy);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("a pipekit server is using", refused.Error);
            Assert.Contains("stop it first", refused.Error);

            Assert.Equal(0, await serve.TerminateAsync());
        }

        await using (var c = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False"))
        {
            await c.OpenAsync();
            Assert.Equal("ok", await c.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            Assert.Equal(2L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM connection"));
        }

        var restored = await ServeProcess.RunAsync(home.Path, null, "restore", copy);
        Assert.True(restored.ExitCode == 0, restored.Error);
        Assert.Contains("kept       " + home.File("backups"), restored.Out);

        // The restored store serves again; the run the backup caught mid-flight is recorded as interrupted at start.
        using var again = await ServeProcess.StartAsync(home.Path);
        Assert.Equal(HttpStatusCode.OK, (await again.Client.GetAsync("/api/connections")).StatusCode);
    }
}
