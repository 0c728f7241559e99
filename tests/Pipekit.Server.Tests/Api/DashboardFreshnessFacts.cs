using System.Net;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

/// <summary>
/// The dashboard keeps its module listing in memory under the module and run change versions (migration 0007): a run
/// recorded, ended or rerun, and a module renamed, show on the next load, on both state stores.
/// </summary>
public abstract class DashboardFreshnessFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Each_run_and_each_module_change_shows_on_the_next_dashboard_load()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        Assert.DoesNotContain("href=\"/runs/", await client.GetStringAsync("/"));

        var first = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(first);
        Assert.Contains($"href=\"/runs/{first}\"", await client.GetStringAsync("/"));

        var second = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(second);
        var page = await client.GetStringAsync("/");
        Assert.Contains($"href=\"/runs/{second}\"", page);
        Assert.DoesNotContain($"href=\"/runs/{first}\"", page);

        await client.PostJsonAsync($"/api/modules/{module}", new { name = "orders_renamed" });
        Assert.Contains("orders_renamed", await client.GetStringAsync("/"));
    }

    public sealed class OnSqlite() : DashboardFreshnessFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : DashboardFreshnessFacts(TestStateStore.Postgres(postgres));
}
