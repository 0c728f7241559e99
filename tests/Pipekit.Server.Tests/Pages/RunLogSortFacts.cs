using System.Text.RegularExpressions;
using Pipekit.Sync.Runs;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Pages;

/// <summary>The run log sorted on the server by started, duration, rows and status, paged by number, links keeping filters and sort.</summary>
public abstract partial class RunLogSortFacts : IDisposable
{
    private readonly Hostile.CapturedLog _log = new();
    private readonly PipekitApp _app;

    protected RunLogSortFacts(TestStateStore store)
    {
        _app = new PipekitApp(store: store, log: _log);
    }

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Runs_sort_by_rows_duration_status_and_started_in_both_directions_with_unknown_counts_last()
    {
        var (ids, runs) = await SeedAsync();
        async Task<IReadOnlyList<long>> Ids(RunSort sort, bool descending) =>
            (await runs.ListAsync(new RunFilter { Sort = sort, Descending = descending, IncludeText = false }, CancellationToken.None)).Select(r => r.Id).ToList();

        // Rows: 30, 10, 20 and one without a count (still running).
        Assert.Equal([ids[0], ids[2], ids[1], ids[3]], await Ids(RunSort.Rows, true));
        Assert.Equal([ids[1], ids[2], ids[0], ids[3]], await Ids(RunSort.Rows, false));
        Assert.Equal(ids[3], (await Ids(RunSort.Duration, false))[^1]);
        Assert.Equal([ids[3], ids[2], ids[1], ids[0]], await Ids(RunSort.Started, true));
        Assert.Equal([ids[0], ids[1], ids[2], ids[3]], await Ids(RunSort.Started, false));
        Assert.Equal(ids[1], (await Ids(RunSort.Status, false))[0]);
        var second = await runs.ListAsync(new RunFilter { Sort = RunSort.Rows, Limit = 2, Offset = 2, IncludeText = false }, CancellationToken.None);
        Assert.Equal([ids[1], ids[3]], second.Select(r => r.Id));
    }

    [Fact]
    public async Task The_run_log_page_sorts_by_a_header_keeps_filters_in_its_links_and_pages_with_the_sort()
    {
        var (ids, _) = await SeedAsync();
        var client = _app.Client();
        var html = await client.GetStringAsync("/runs?sort=rows&dir=asc&since=7d");
        Assert.Equal([ids[1], ids[2], ids[0], ids[3]], RunLinks(html));
        Assert.Contains("aria-sort=\"ascending\"", html);
        // The Rows header reverses the sort and keeps the filter; other headers sort descending first.
        Assert.Contains("href=\"/runs?since=7d&amp;sort=rows\"", html);
        Assert.Contains("href=\"/runs?since=7d&amp;sort=duration\"", html);
        var unknown = await client.GetStringAsync("/runs?sort=secret_column");
        Assert.Contains("not a sortable column", unknown);
        Assert.Equal([ids[3], ids[2], ids[1], ids[0]], RunLinks(unknown));
    }

    [Fact]
    public async Task The_module_filter_takes_a_typed_name_and_suggests_the_nearest_for_an_unknown_one()
    {
        var (ids, runs) = await SeedAsync();
        var client = _app.Client();
        var orders = (await _app.Service<Pipekit.Sync.Modules.ModuleRepository>().FindAsync("orders", CancellationToken.None))!;
        var invoices = await client.CreateOrdersModuleAsync(orders.SourceConnectionId, orders.DestConnectionId, name: "invoices", destTable: "invoices_copy");
        var other = await runs.StartAsync(invoices, null, "api",
            RunStatus.Running, Pipekit.Sync.Locks.ProcessIdentity.Current().ToString(), CancellationToken.None);

        var named = await client.GetStringAsync("/runs?module_name=orders");
        Assert.Equal([ids[3], ids[2], ids[1], ids[0]], RunLinks(named));
        Assert.Contains("name=\"module_name\" type=\"search\" value=\"orders\"", named);
        Assert.DoesNotContain("<option value=\"", named.Split("id=\"f-group\"")[0].Split("id=\"f-module\"")[1]);

        var typo = await client.GetStringAsync("/runs?module_name=ordrs");
        Assert.Contains("No module is named &#x27;ordrs&#x27;; did you mean &#x27;orders&#x27;?", typo);
        Assert.Equal([other, ids[3], ids[2], ids[1], ids[0]], RunLinks(typo));

        // A link from a module's page carries the id; the box shows the module's name.
        Assert.Contains("value=\"orders\"", await client.GetStringAsync($"/runs?module={orders.Id}"));
    }

    [Fact]
    public async Task The_dashboard_and_the_module_pages_render_on_this_store()
    {
        var (ids, _) = await SeedAsync();
        var client = _app.Client();
        foreach (var path in new[] { "/", "/modules", "/runs", $"/runs/{ids[0]}", "/groups", "/pipelines", "/chains", "/query" })
        {
            var response = await client.GetAsync(path);
            Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()} {string.Join("\n", _log.Lines.Where(l => l.Contains("xception", StringComparison.Ordinal)).Take(2))}");
        }
    }

    private async Task<(long[] Ids, RunLogRepository Runs)> SeedAsync()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        var runs = _app.Service<RunLogRepository>();
        var ids = new long[4];
        var rows = new long?[] { 30, 10, 20 };
        var statuses = new[] { RunStatus.Success, RunStatus.Cancelled, RunStatus.Error };
        for (var i = 0; i < 4; i++)
        {
            ids[i] = await runs.StartAsync(module, null, "api", RunStatus.Running, Pipekit.Sync.Locks.ProcessIdentity.Current().ToString(), CancellationToken.None);
            await Task.Delay(20);
            if (i < 3) await runs.FinishAsync(ids[i], new RunCompletion { Status = statuses[i], RowCount = rows[i] });
        }
        return (ids, runs);
    }

    private static List<long> RunLinks(string html) =>
        RunLink().Matches(html).Select(m => long.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex("<td><a href=\"/runs/(\\d+)\">")]
    private static partial Regex RunLink();

    public sealed class OnSqlite() : RunLogSortFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : RunLogSortFacts(TestStateStore.Postgres(postgres));
}
