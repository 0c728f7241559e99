using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pipekit.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Pipekit.BrowserTests;

/// <summary>
/// The Chains pages in real Chromium against a real <c>pipekit serve</c>: jobs submitted through <c>POST /v1/jobs</c>
/// on SQLite are watched to their end on the job page (steps with hit or miss, the miss reason, the result, the
/// failing statement), cancelled from their page, and their layers seen as a tree that GC is run on.
/// </summary>
public sealed class ChainsPagesFacts : IAsyncLifetime
{
    private static readonly Dictionary<string, string> Project = new()
    {
        ["schema/01_tables.sql"] = "CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount NUMERIC);",
        ["seed/01_orders.sql"] = "INSERT INTO orders VALUES (1, 'ada', 10), (2, 'bob', 25), (3, 'ada', 40);",
        ["test/01_totals.sql"] =
            """
            -- @work rows of busywork first, so a page can see the job running
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < @work) SELECT count(*) FROM n;
            SELECT customer, sum(amount) AS total, count(*) AS orders FROM orders WHERE amount >= @min GROUP BY customer ORDER BY customer;
            """,
    };

    private readonly TempDirectory _home = new();
    private ServeProcess _serve = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private HttpClient _api = null!;
    private readonly string _shots = Path.Combine(Browser.RepositoryRoot(), "docs", "ui");

    public async Task InitializeAsync()
    {
        _serve = await ServeProcess.StartAsync(_home.Path);
        (_playwright, _browser) = await Browser.LaunchAsync();
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 860 }, BaseURL = _serve.BaseUrl });
        _page = await context.NewPageAsync();
        _page.SetDefaultTimeout(30_000);
        _api = new HttpClient { BaseAddress = new Uri(_serve.BaseUrl) };
        _api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes(ServeProcess.User + ":" + ServeProcess.Password)));
        Directory.CreateDirectory(_shots);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _serve.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task A_job_is_watched_to_its_end_and_its_layers_are_seen_as_a_tree()
    {
        try
        {
            await LogInAsync();
            await _page.GotoAsync("/chains");
            await Expect(_page.Locator(".empty")).ToContainTextAsync("No chain jobs yet");

            // First job: every tail step is replayed (a miss), then the head returns the totals.
            var first = await SubmitAsync(Project, "test/01_totals.sql", new { min = 20, work = 1_500_000 });
            await _page.GotoAsync($"/chains/jobs/{first}");
            await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("completed", new() { Timeout = 90_000 });
            await Expect(_page.Locator("#steps tr[data-cache=miss]")).ToHaveCountAsync(2);
            await Expect(_page.Locator("#steps tr[data-cache=head]")).ToContainTextAsync("test/01_totals.sql");
            await Expect(_page.Locator("#result tbody tr")).ToHaveCountAsync(2);
            await Expect(_page.Locator("#result tbody tr").First).ToContainTextAsync("ada");
            await Expect(_page.Locator("#result tbody tr").First).ToContainTextAsync("40");
            await Expect(_page.Locator("#live-log")).ToContainTextAsync("completed in");

            // The same tail again (other variables): the whole tail is a hit.
            var hit = await SubmitAsync(Project, "test/01_totals.sql", new { min = 0, work = 1 });
            await _page.GotoAsync($"/chains/jobs/{hit}");
            await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("completed", new() { Timeout = 60_000 });
            await Expect(_page.Locator("#steps tr[data-cache=hit]")).ToHaveCountAsync(2);
            await Expect(_page.Locator("#result tbody tr").Nth(1)).ToContainTextAsync("bob");

            // One seed byte changed: schema is a hit, the seed misses and the page says why.
            var changed = new Dictionary<string, string>(Project) { ["seed/01_orders.sql"] = "INSERT INTO orders VALUES (1, 'ada', 11), (2, 'bob', 25), (3, 'ada', 40);" };
            var miss = await SubmitAsync(changed, "test/01_totals.sql", new { min = 0, work = 1 });
            await _page.GotoAsync($"/chains/jobs/{miss}");
            await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("completed", new() { Timeout = 60_000 });
            await Expect(_page.Locator("#steps tr[data-cache=hit]")).ToContainTextAsync("schema/01_tables.sql");
            await Expect(_page.Locator("#steps tr[data-cache=miss]")).ToContainTextAsync("content_changed");
            await Shot("chain-job");

            // A failing head (its tail is the cached schema and seed): the error headline names the file and line of the statement.
            var broken = new Dictionary<string, string>(Project) { ["test/00_broken.sql"] = "SELECT 1;\nSELECT * FROM no_such_table;" };
            var failed = await SubmitAsync(broken, "test/00_broken.sql", null);
            await _page.GotoAsync($"/chains/jobs/{failed}");
            await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("failed", new() { Timeout = 60_000 });
            await Expect(_page.Locator(".notice.err")).ToContainTextAsync("no_such_table");
            await Expect(_page.Locator(".notice.err")).ToContainTextAsync("test/00_broken.sql:2");
            await Expect(_page.Locator(".page-head")).ToContainTextAsync("hit");

            // A long head is cancelled from its page.
            var slow = new Dictionary<string, string>(Project)
            {
                ["test/00_slow.sql"] = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000000000) SELECT count(*) FROM n;",
            };
            var slowJob = await SubmitAsync(slow, "test/00_slow.sql", null, timeoutMs: 120_000);
            await _page.GotoAsync($"/chains/jobs/{slowJob}");
            _page.Dialog += async (_, dialog) => await dialog.AcceptAsync();
            await _page.ClickAsync("button.danger:has-text('Cancel')");
            await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("was canceled");
            await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("canceled");

            await _page.GotoAsync("/chains");
            await Expect(_page.Locator("table.data tbody tr")).ToHaveCountAsync(5);
            await Shot("chains");
            await _page.SelectOptionAsync("#f-status", "failed");
            await Expect(_page).ToHaveURLAsync(new Regex("status=failed"));
            await Expect(_page.Locator("table.data tbody tr")).ToHaveCountAsync(1);
            await Expect(_page.Locator("table.data tbody tr")).ToContainTextAsync("no_such_table");

            // The tree: schema at the root, two seed branches under it.
            await _page.GotoAsync("/chains/layers");
            var rows = _page.Locator("table.layer-tree tbody tr");
            await Expect(rows).ToHaveCountAsync(3);
            await Expect(rows.Nth(0)).ToContainTextAsync("schema/01_tables.sql");
            await Expect(rows.Nth(1).Locator(".guide")).ToHaveTextAsync("├─ ");
            await Expect(rows.Nth(2).Locator(".guide")).ToHaveTextAsync("└─ ");
            await Expect(rows.Nth(2)).ToContainTextAsync("seed/01_orders.sql");
            await Shot("chain-layers");
            await _page.ClickAsync("#gc-button");
            await Expect(_page.Locator("#gc-report")).ToContainTextAsync("GC done");
            await Expect(_page.Locator("#gc-report")).ToContainTextAsync("3 layer(s) kept");
            await Expect(rows).ToHaveCountAsync(3);
        }
        catch
        {
            var failures = Path.Combine(AppContext.BaseDirectory, "browser-failures");
            Directory.CreateDirectory(failures);
            await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(failures, "chains-failure.png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(failures, "chains-failure.html"), await _page.ContentAsync());
            throw;
        }
    }

    private async Task LogInAsync()
    {
        await _page.GotoAsync("/chains");
        await Expect(_page).ToHaveURLAsync(new Regex("/login"));
        await _page.FillAsync("#user", ServeProcess.User);
        await _page.FillAsync("#password", ServeProcess.Password);
        await _page.ClickAsync("button[type=submit]");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Chain jobs");
    }

    private async Task<long> SubmitAsync(Dictionary<string, string> files, string head, object? variables, int? timeoutMs = null)
    {
        using var response = await _api.PostAsJsonAsync("/v1/jobs", new Dictionary<string, object?>
        {
            ["request_id"] = "browser-" + head,
            ["user_id"] = "ada",
            ["engine"] = "sqlite",
            ["head_path"] = head,
            ["project_tree"] = files.ToDictionary(f => f.Key, f => new { content = f.Value }),
            ["variables"] = variables,
            ["timeout_ms"] = timeoutMs,
        });
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"POST /v1/jobs answered {(int)response.StatusCode}: {body}");
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("id").GetInt64();
    }

    private async Task Shot(string name)
    {
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await _page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_shots, $"{name}-{(scheme == ColorScheme.Light ? "light" : "dark")}.png") });
        }
        await _page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
    }
}
