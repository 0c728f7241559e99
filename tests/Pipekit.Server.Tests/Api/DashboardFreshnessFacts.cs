using System.Net;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

/// <summary>
/// The dashboard keeps its module listing in memory under the module and run change versions (migration 0007): a run
/// recorded, ended or rerun, and a module renamed, show on the next load, on both state stores. The dashboard shows a
/// few modules per connection and the failing ones first; the Modules page filters and pages through all of them.
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
        // The module's row links its newest run; the older one stays only in the dashboard's recent runs.
        var row = ModuleRowOf(await client.GetStringAsync("/"), module);
        Assert.Contains($"href=\"/runs/{second}\"", row);
        Assert.DoesNotContain($"href=\"/runs/{first}\"", row);
        row = ModuleRowOf(await client.GetStringAsync("/modules"), module);
        Assert.Contains($"href=\"/runs/{second}\"", row);

        await client.PostJsonAsync($"/api/modules/{module}", new { name = "orders_renamed" });
        Assert.Contains("orders_renamed", await client.GetStringAsync("/"));
        Assert.Contains("orders_renamed", ModuleRowOf(await client.GetStringAsync("/modules?q=RENAMED"), module));
    }

    [Fact]
    public async Task The_dashboard_shows_a_few_modules_per_connection_and_the_modules_page_pages_through_all_of_them()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var ids = new List<long>();
        for (var i = 1; i <= 12; i++) ids.Add(await client.CreateOrdersModuleAsync(source, dest, $"m{i:D2}", $"copy_{i:D2}"));
        var failing = await client.CreateOrdersModuleAsync(source, dest, "zz_broken", "broken_copy", "SELECT id FROM no_such_table");
        var run = (long)(await client.PostJsonAsync($"/api/modules/{failing}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(run);

        var dashboard = await client.GetStringAsync("/");
        Assert.Contains($"id=\"module-{ids[9]}\"", dashboard);
        Assert.DoesNotContain($"id=\"module-{ids[10]}\"", dashboard);
        Assert.Contains($"href=\"/modules?source={source}\">All 13 modules from source", dashboard);
        // The failing module heads the page whatever its name, and the count links to the filtered Modules page.
        Assert.Contains($"id=\"failing-module-{failing}\"", dashboard);
        Assert.Contains("href=\"/modules?state=failing\"", dashboard);
        Assert.Contains($"href=\"/runs/{run}\"", ModuleRowOf(dashboard, failing, "failing-"));
        var searched = await client.GetStringAsync("/?q=m1");
        Assert.Contains($"id=\"module-{ids[11]}\"", searched);
        Assert.DoesNotContain($"id=\"module-{ids[0]}\"", searched);

        var failingOnly = await client.GetStringAsync("/modules?state=failing");
        Assert.Contains($"id=\"module-{failing}\"", failingOnly);
        Assert.DoesNotContain($"id=\"module-{ids[0]}\"", failingOnly);
        var all = await client.GetStringAsync("/modules");
        Assert.Contains("1–13 of 13", all);
        Assert.Contains($"id=\"module-{ids[11]}\"", all);
        Assert.Contains("is not a module state", await client.GetStringAsync("/modules?state=broken"));
    }

    // The <tr> of one module in a page's HTML.
    private static string ModuleRowOf(string html, long module, string prefix = "")
    {
        var at = html.IndexOf($"id=\"{prefix}module-{module}\"", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no row of module {module} on the page");
        var start = html.LastIndexOf("<tr", at, StringComparison.Ordinal);
        return html[start..(html.IndexOf("</tr>", at, StringComparison.Ordinal) + 5)];
    }

    public sealed class OnSqlite() : DashboardFreshnessFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : DashboardFreshnessFacts(TestStateStore.Postgres(postgres));
}
