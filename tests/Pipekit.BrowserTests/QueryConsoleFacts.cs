using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pipekit.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Pipekit.BrowserTests;

/// <summary>
/// The SQL console in real Chromium against a real <c>pipekit serve</c> with a demo-like orders dataset: Ctrl+Enter runs
/// a query and the rows swap in; a bad query shows its error as one line; with JavaScript off the form POST renders the
/// same table. Photographed into docs/ui/ as <c>query-*.png</c>.
/// </summary>
public sealed class QueryConsoleFacts : IAsyncLifetime
{
    private readonly TempDirectory _home = new();
    private ServeProcess _serve = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private readonly string _shots = Path.Combine(Browser.RepositoryRoot(), "docs", "ui");

    public async Task InitializeAsync()
    {
        var csv = new StringBuilder("id,customer,amount,placed_on\n");
        for (var i = 1; i <= 240; i++)
            csv.Append(CultureInfo.InvariantCulture, $"{i},customer {i % 17},{i * 1.25m},2026-11-{1 + i % 28:00}\n");
        await File.WriteAllTextAsync(_home.File("orders.csv"), csv.ToString());
        _serve = await ServeProcess.StartAsync(_home.Path);
        using var api = new HttpClient { BaseAddress = new Uri(_serve.BaseUrl) };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{ServeProcess.User}:{ServeProcess.Password}")));
        var body = $"{{\"name\":\"orders\",\"uri\":\"{_home.File("orders.csv")}\",\"format\":\"csv\"}}";
        var added = await api.PostAsync("/api/datasets", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        (_playwright, _browser) = await Browser.LaunchAsync();
        Directory.CreateDirectory(_shots);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
        _serve.Dispose();
        _home.Dispose();
    }

    [Fact]
    public async Task A_query_runs_with_ctrl_enter_and_a_bad_one_shows_its_error()
    {
        var page = await PageAsync(javaScript: true);
        try
        {
            await page.GotoAsync("/query");
            await Expect(page.Locator("[data-dataset=orders]")).ToBeVisibleAsync();
            await Expect(page.Locator(".dataset-columns")).ToContainTextAsync("customer");
            await page.FillAsync("#Sql", "SELECT customer, count(*) AS orders, sum(amount) AS total\nFROM orders\nGROUP BY customer\nORDER BY total DESC");
            await page.Locator("#Sql").PressAsync("Control+Enter");
            await Expect(page.Locator("#console-table tbody tr")).ToHaveCountAsync(17);
            await Expect(page.Locator("#console-facts")).ToContainTextAsync("17 rows");
            await Expect(page).ToHaveURLAsync(new Regex("/query$"));
            await Shot(page, "query");

            await page.FillAsync("#Sql", "SELECT no_such_column FROM orders");
            await page.ClickAsync("#run-button");
            await Expect(page.Locator("#console-error")).ToContainTextAsync("no_such_column");
            await Expect(page.Locator("#console-table")).ToHaveCountAsync(0);

            await page.FillAsync("#Sql", "COPY orders TO '/tmp/x.csv'");
            await page.ClickAsync("#run-button");
            await Expect(page.Locator("#console-error")).ToBeVisibleAsync();
            await Shot(page, "query-error");

            await page.FillAsync("#Sql", "SELECT * FROM range(20000) t(i)");
            await page.ClickAsync("#run-button");
            // 10,000 rendered rows take a while on a busy machine: wait for them longer than the default 5 s.
            await Expect(page.Locator("#console-truncated")).ToContainTextAsync("first 10,000 rows",
                new LocatorAssertionsToContainTextOptions { Timeout = 60_000 });
        }
        catch
        {
            await FailureAsync(page);
            throw;
        }
    }

    [Fact]
    public async Task Without_javascript_the_form_post_renders_the_result_and_csv_downloads()
    {
        var page = await PageAsync(javaScript: false);
        try
        {
            await page.GotoAsync("/query");
            await page.FillAsync("#Sql", "SELECT id, amount FROM orders WHERE id <= 3 ORDER BY id");
            await page.ClickAsync("#run-button");
            await Expect(page.Locator("#console-table tbody tr")).ToHaveCountAsync(3);
            await Expect(page.Locator("#console-table tbody tr").First).ToContainTextAsync("1.25");

            var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("[data-download=csv]"));
            var path = await download.PathAsync();
            Assert.Equal("result.csv", download.SuggestedFilename);
            var lines = (await File.ReadAllTextAsync(path)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(["id,amount", "1,1.25"], lines[..2]);
            Assert.Equal(4, lines.Length);
        }
        catch
        {
            await FailureAsync(page);
            throw;
        }
    }

    private async Task<IPage> PageAsync(bool javaScript)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1360, Height = 860 }, BaseURL = _serve.BaseUrl, JavaScriptEnabled = javaScript, AcceptDownloads = true,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await page.GotoAsync("/login");
        await page.FillAsync("#user", ServeProcess.User);
        await page.FillAsync("#password", ServeProcess.Password);
        await page.ClickAsync("button[type=submit]");
        await Expect(page.Locator("h1")).ToHaveTextAsync("Dashboard");
        return page;
    }

    private async Task Shot(IPage page, string name)
    {
        foreach (var scheme in new[] { ColorScheme.Light, ColorScheme.Dark })
        {
            await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = scheme });
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(_shots, $"{name}-{(scheme == ColorScheme.Light ? "light" : "dark")}.png") });
        }
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { ColorScheme = ColorScheme.Light });
    }

    private static async Task FailureAsync(IPage page)
    {
        var failures = Path.Combine(AppContext.BaseDirectory, "browser-failures");
        Directory.CreateDirectory(failures);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(failures, "query-failure.png"), FullPage = true });
        await File.WriteAllTextAsync(Path.Combine(failures, "query-failure.html"), await page.ContentAsync());
    }
}
