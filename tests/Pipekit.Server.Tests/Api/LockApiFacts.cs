using System.Net;
using Pipekit.Core.Configuration;
using Pipekit.Sync.Locks;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

/// <summary>
/// <c>GET /api/modules/{id}/lock</c> and <c>POST /api/modules/{id}/clear-lock</c>. The server's own sweep waits a day
/// here, so the lock a test leaves is still there when it asks.
/// </summary>
public abstract class LockApiFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store, sync: new SyncOptions { StaleLockSweepSeconds = 24 * 3600 });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_lock_whose_holder_is_gone_shows_host_pid_and_since_and_can_be_cleared_once()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var id = await client.CreateOrdersModuleAsync(source, dest);
        Assert.False((bool)(await client.GetJsonAsync($"/api/modules/{id}/lock"))["locked"]!);

        // A process on this host that no longer runs (no such pid).
        var gone = new ProcessIdentity(Environment.MachineName, 999_999_999, 1);
        Assert.True(await _app.Service<ModuleLocks>().TryAcquireAsync(id, gone, CancellationToken.None));
        var held = await client.GetJsonAsync($"/api/modules/{id}/lock");
        Assert.True((bool)held["locked"]!);
        Assert.Equal(Environment.MachineName, (string)held["host"]!);
        Assert.Equal(999_999_999, (int)held["pid"]!);
        Assert.Equal(gone.ToString(), (string)held["owner"]!);
        Assert.NotNull(held["since"]);
        Assert.True((bool)held["holder_gone"]!);

        var cleared = await client.PostJsonAsync($"/api/modules/{id}/clear-lock");
        Assert.Equal(id, (long)cleared["module_id"]!);
        Assert.False((bool)(await client.GetJsonAsync($"/api/modules/{id}"))["running"]!);
        var again = await (await client.PostAsync($"/api/modules/{id}/clear-lock")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("not locked", (string)again["detail"]!);
    }

    [Fact]
    public async Task A_lock_whose_holder_runs_or_cannot_be_checked_is_not_cleared()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var here = await client.CreateOrdersModuleAsync(source, dest, "here", "t_here");
        var elsewhere = await client.CreateOrdersModuleAsync(source, dest, "elsewhere", "t_elsewhere");
        Assert.True(await _app.Service<ModuleLocks>().TryAcquireAsync(here, ProcessIdentity.Current(), CancellationToken.None));
        Assert.True(await _app.Service<ModuleLocks>().TryAcquireAsync(elsewhere, new ProcessIdentity("db7-elsewhere", 4121, 1), CancellationToken.None));

        Assert.False((bool)(await client.GetJsonAsync($"/api/modules/{here}/lock"))["holder_gone"]!);
        var running = await (await client.PostAsync($"/api/modules/{here}/clear-lock")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("still runs", (string)running["detail"]!);
        var remote = await (await client.PostAsync($"/api/modules/{elsewhere}/clear-lock")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("host db7-elsewhere, pid 4121", (string)remote["detail"]!);
        Assert.Contains("another host", (string)remote["detail"]!);
        Assert.True((bool)(await client.GetJsonAsync($"/api/modules/{here}"))["running"]!);
        Assert.True((bool)(await client.GetJsonAsync($"/api/modules/{elsewhere}"))["running"]!);
        await (await client.PostAsync("/api/modules/999/clear-lock")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/modules/999/lock")).ProblemAsync(HttpStatusCode.NotFound);
        await _app.Service<ModuleLocks>().ReleaseAsync(here, ProcessIdentity.Current());
    }

    public sealed class OnSqlite() : LockApiFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : LockApiFacts(TestStateStore.Postgres(postgres));
}
