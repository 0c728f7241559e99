using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Playwright;
using Pipekit.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Pipekit.BrowserTests;

/// <summary>
/// The pages in real Chromium against a real <c>pipekit serve</c>: the walk a data engineer takes from login to a
/// scheduled group. Each page is photographed in the light and the dark scheme into docs/ui/ (docs/ui.md shows
/// them); on a failure the screenshot and the HTML of the page go to the test output directory.
/// </summary>
public sealed class PagesFacts : IAsyncLifetime
{
    private readonly TempDirectory _home = new();
    private ServeProcess _serve = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private readonly string _shots = Path.Combine(Browser.RepositoryRoot(), "docs", "ui");

    public async Task InitializeAsync()
    {
        SeedSource(_home.File("shop.db"));
        // The server's own stale-lock sweep waits a day, so the stale lock the walk leaves stays until "Clear lock".
        await File.WriteAllTextAsync(_home.File("pipekit.toml"), "[sync]\nstale_lock_sweep_seconds = 86400\n");
        _serve = await ServeProcess.StartAsync(_home.Path);
        (_playwright, _browser) = await Browser.LaunchAsync();
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1360, Height = 860 }, BaseURL = _serve.BaseUrl });
        _page = await context.NewPageAsync();
        _page.SetDefaultTimeout(20_000);
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
    public async Task A_data_engineer_goes_from_login_to_a_scheduled_group()
    {
        try
        {
            await LogInAsync();
            await CreateAndTestConnectionsAsync();
            var moduleUrl = await CompleteTheWizardAsync();
            var runUrl = await RunAndWatchTheLiveLogAsync(moduleUrl);
            await CheckTheRunDetailAsync(runUrl);
            await EditWatermarksAndSeeTheMismatchAsync(moduleUrl);
            await FilterTheRunLogToErrorsAsync();
            await CreateAGroupWithAScheduleAsync();
            await ReRunTheFailedMembersOfAGroupRunAsync();
            await ClearAStaleLockAsync(moduleUrl);
            await SortTheRunLogAsync();
            await _page.GotoAsync("/");
            await Shot("dashboard");
            await _page.GotoAsync("/settings?doctorReport=true");
            await Shot("settings");
        }
        catch
        {
            var failures = Path.Combine(AppContext.BaseDirectory, "browser-failures");
            Directory.CreateDirectory(failures);
            await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(failures, "failure.png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(failures, "failure.html"), await _page.ContentAsync());
            throw;
        }
    }

    private async Task LogInAsync()
    {
        await _page.GotoAsync("/");
        await Expect(_page).ToHaveURLAsync(new Regex("/login"));
        await Shot("login");
        await _page.FillAsync("#user", ServeProcess.User);
        await _page.FillAsync("#password", "wrong-password");
        await _page.ClickAsync("button[type=submit]");
        await Expect(_page.Locator(".notice.err")).ToContainTextAsync("wrong");
        await _page.FillAsync("#password", ServeProcess.Password);
        await _page.ClickAsync("button[type=submit]");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Dashboard");
        await Shot("dashboard-empty");
    }

    private async Task CreateAndTestConnectionsAsync()
    {
        await AddConnectionAsync("shop", "sqlite", "sqlite://" + _home.File("shop.db"));
        await _page.ClickAsync("#test-button");
        await Expect(_page.Locator("#test-slot")).ToContainTextAsync("ok");
        await Shot("connection-edit");
        await AddConnectionAsync("warehouse", "duckdb", "duckdb://" + _home.File("warehouse.duckdb"));
        await _page.GotoAsync("/connections");
        await _page.ClickAsync("button[data-test=warehouse]");
        await Expect(_page.Locator("tr", new() { HasText = "warehouse" }).Locator(".test-slot")).ToContainTextAsync("ok");
        await Shot("connections");
    }

    private async Task AddConnectionAsync(string name, string driver, string url)
    {
        await _page.GotoAsync("/connections/new");
        await _page.FillAsync("#Name", name);
        await _page.SelectOptionAsync("#Driver", driver);
        await _page.FillAsync("#Url", url);
        await _page.ClickAsync("form button.primary");
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("Saved");
    }

    private async Task<string> CompleteTheWizardAsync()
    {
        await _page.GotoAsync("/wizard");
        await _page.SelectOptionAsync("#connection", new SelectOptionValue { Label = "shop (sqlite)" });
        await _page.FillAsync("#q", "ord");
        await Expect(_page.Locator("#tables a[data-table=orders]")).ToBeVisibleAsync();
        await Expect(_page.Locator("#tables a[data-table=customers]")).ToHaveCountAsync(0);
        await Shot("wizard-1-source");
        await _page.ClickAsync("#tables a[data-table=orders]");
        await Expect(_page.Locator(".steps li[aria-current=step]")).ToHaveTextAsync("Columns");
        await _page.UncheckAsync("input[aria-label='Include note']");
        await Shot("wizard-2-columns");
        // The per-row edit dialog: Cancel changes nothing, Apply writes the values back into the row.
        await _page.ClickAsync("button[data-edit-column=customer]");
        var dialog = _page.Locator("#column-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(_page.Locator("#dlg-alias")).ToHaveValueAsync("customer");
        await _page.FillAsync("#dlg-alias", "customer_name");
        await Shot("wizard-2-column-dialog");
        await dialog.Locator("button[value=cancel]").ClickAsync();
        await Expect(dialog).ToBeHiddenAsync();
        var alias = _page.Locator("input[aria-label='Alias of customer']");
        await Expect(alias).ToHaveValueAsync("customer");
        await _page.ClickAsync("button[data-edit-column=customer]");
        await _page.FillAsync("#dlg-alias", "customer_name");
        await _page.ClickAsync("#dlg-apply");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(alias).ToHaveValueAsync("customer_name");
        await alias.FillAsync("customer");
        await _page.ClickAsync("#to-step-3");
        await _page.SelectOptionAsync("#dest", new SelectOptionValue { Label = "warehouse (duckdb)" });
        await _page.FillAsync("#dest_table", "orders");
        await Shot("wizard-3-destination");
        await _page.ClickAsync("#to-step-4");
        await Expect(_page.Locator("#wiz-merge")).ToContainTextAsync("INSERT INTO");
        await Expect(_page.Locator("#wiz-source")).Not.ToContainTextAsync("note");
        await Expect(_page.Locator("#wiz-ddl")).ToContainTextAsync("CREATE TABLE");
        await Shot("wizard-4-preview");
        await _page.ClickAsync("#create-module");
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("Module created");
        return new Uri(_page.Url).AbsolutePath;
    }

    private async Task<string> RunAndWatchTheLiveLogAsync(string moduleUrl)
    {
        await _page.GotoAsync(moduleUrl);
        await _page.ClickAsync("button[data-shortcut-run]");
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("started");
        await _page.ClickAsync("text=Follow its live log");
        await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("success", new() { Timeout = 60_000 });
        await Expect(_page.Locator("#live-log")).ToBeVisibleAsync();
        return new Uri(_page.Url).AbsolutePath;
    }

    private async Task CheckTheRunDetailAsync(string runUrl)
    {
        await _page.GotoAsync(runUrl);
        await Expect(_page.Locator("#resolved-sql")).ToContainTextAsync("orders");
        await Expect(_page.Locator("#merge-sql")).ToContainTextAsync("INSERT INTO");
        await Expect(_page.Locator(".page-head")).ToContainTextAsync("500 rows");
        await Shot("run-detail");
        await _page.GotoAsync("/modules");
        await Shot("modules");
    }

    private async Task EditWatermarksAndSeeTheMismatchAsync(string moduleUrl)
    {
        await _page.GotoAsync(moduleUrl);
        await Shot("module-detail");
        await _page.GotoAsync(moduleUrl + "/edit");
        var warning = _page.Locator("[data-placeholder-warning]");
        await Expect(warning).ToBeHiddenAsync();
        await _page.Locator("#source_query").PressAsync("End");
        await _page.FocusAsync("#source_query");
        await _page.Keyboard.PressAsync("Control+End");
        await _page.Keyboard.TypeAsync("\nWHERE updated_at > {since}");
        await Expect(warning).ToBeVisibleAsync();
        await Expect(warning).ToContainTextAsync("{since}");
        await Shot("module-edit-mismatch");
        // The server refuses the mismatch as well.
        await _page.ClickAsync("form button.primary");
        await Expect(_page.Locator(".notice.err")).ToContainTextAsync("since");
        await _page.ClickAsync("text=+ Add watermark");
        await _page.Locator("#watermarks tr").Last.Locator("[name=wm_name]").FillAsync("since");
        await _page.Locator("#watermarks tr").Last.Locator("[name=wm_resolver_sql]").FillAsync("SELECT '''' || max(updated_at) || '''' FROM orders");
        await _page.Locator("#watermarks tr").Last.Locator("[name=wm_default_value]").FillAsync("'1970-01-01'");
        await Expect(warning).ToBeHiddenAsync();
        await _page.SelectOptionAsync("#strategy", "incremental");
        await _page.FillAsync("#merge_key", "id");
        await _page.ClickAsync("form button.primary");
        await Expect(_page.Locator("h2", new() { HasText = "Watermarks" })).ToBeVisibleAsync();
        await Expect(_page.Locator("td", new() { HasText = "{since}" })).ToBeVisibleAsync();
        await _page.ClickAsync("text=Preview with live watermarks");
        await Expect(_page.Locator("#preview-source")).ToContainTextAsync("updated_at >");
        await Shot("module-detail-preview");
        await Expect(_page.Locator("#preview-source")).ToContainTextAsync("updated_at > '2026-11-28'");
        await _page.ClickAsync("text=Edit columns");
        await Expect(_page.Locator("#columns tr")).ToHaveCountAsync(4);
        await Expect(_page.Locator("[name=col_expr]").First).ToHaveValueAsync("\"id\"");
        await Shot("module-columns");
    }

    private async Task FilterTheRunLogToErrorsAsync()
    {
        await _page.GotoAsync("/runs");
        await Expect(_page.Locator("table.data tbody tr")).Not.ToHaveCountAsync(0);
        await Shot("runs");
        await _page.ClickAsync("text=Errors · last 24 h");
        await Expect(_page).ToHaveURLAsync(new Regex("status=error"));
        await Expect(_page.Locator("#f-status")).ToHaveValueAsync("error");
        await Expect(_page.Locator(".empty")).ToContainTextAsync("No runs match");
    }

    private async Task CreateAGroupWithAScheduleAsync()
    {
        await _page.GotoAsync("/groups/new");
        await _page.FillAsync("#Name", "nightly");
        await _page.ClickAsync("text=+ Add member");
        await _page.Locator("#members tr").Last.Locator("select").SelectOptionAsync(new SelectOptionValue { Label = "orders" });
        await _page.ClickAsync("text=+ Add schedule");
        var row = _page.Locator("#schedules tr").Last;
        await row.Locator("[name=schedule_cron]").FillAsync("0 20 2 * * *");
        await Expect(row.Locator(".fires li")).ToHaveCountAsync(3);
        await Expect(row.Locator(".fires li").First).ToContainTextAsync("02:20:00 UTC");
        await row.Locator("[name=schedule_cron]").FillAsync("0 61 * * *");
        await Expect(row.Locator(".fires.err")).ToBeVisibleAsync();
        await row.Locator("[name=schedule_cron]").FillAsync("0 20 2 * * *");
        await Expect(row.Locator(".fires li")).ToHaveCountAsync(3);
        await _page.ClickAsync("form button.primary");
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("Saved");
        await Expect(_page.Locator(".fires li")).ToHaveCountAsync(3);
        await Shot("group-edit");
        await _page.GotoAsync("/groups");
        await Expect(_page.Locator("body")).ToContainTextAsync("every day at 02:20");
        await Shot("groups");
    }

    private async Task ReRunTheFailedMembersOfAGroupRunAsync()
    {
        // A second member whose source table does not exist yet: the group run fails on it.
        await _page.GotoAsync("/wizard");
        await _page.SelectOptionAsync("#connection", new SelectOptionValue { Label = "shop (sqlite)" });
        await _page.FillAsync("#q", "cust");
        await _page.ClickAsync("#tables a[data-table=customers]");
        await _page.ClickAsync("#to-step-3");
        await _page.SelectOptionAsync("#dest", new SelectOptionValue { Label = "warehouse (duckdb)" });
        await _page.FillAsync("#dest_table", "customers");
        await _page.ClickAsync("#to-step-4");
        await _page.ClickAsync("#create-module");
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("Module created");
        var customersUrl = new Uri(_page.Url).AbsolutePath;
        await _page.GotoAsync(customersUrl + "/edit");
        await _page.FillAsync("#source_query", "SELECT \"id\", \"name\" FROM customers_late");
        await _page.ClickAsync("form button.primary");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("customers");

        await _page.GotoAsync("/groups");
        await _page.Locator("table.data a[href^='/groups/']", new() { HasText = "nightly" }).First.ClickAsync();
        await _page.ClickAsync("text=+ Add member");
        await _page.Locator("#members tr").Last.Locator("select").SelectOptionAsync(new SelectOptionValue { Label = "customers" });
        await _page.ClickAsync("form button.primary:has-text('Save')");
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("Saved");
        await _page.ClickAsync("#run-group");
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("started");
        await _page.ClickAsync("text=Follow group run");
        await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("error", new() { Timeout = 60_000 });
        await Expect(_page.Locator("#members tbody tr")).ToHaveCountAsync(2);
        await Expect(_page.Locator("#members tbody tr[data-status=error]")).ToContainTextAsync("customers_late");
        await Shot("group-run");
        var groupRunUrl = new Uri(_page.Url).AbsolutePath;
        await SeeTheFailingModuleFirstAsync();
        await _page.GotoAsync(groupRunUrl);

        using (var c = new SqliteConnection("Data Source=" + _home.File("shop.db") + ";Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE customers_late AS SELECT * FROM customers";
            cmd.ExecuteNonQuery();
        }
        var firstUrl = new Uri(_page.Url).AbsolutePath;
        await _page.ClickAsync("#rerun-failed");
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("Re-running the failed members");
        await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("success", new() { Timeout = 60_000 });
        await Expect(_page.Locator("#members tbody tr")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#members tbody tr")).ToContainTextAsync("customers");
        await Expect(_page.Locator(".page-head .facts")).ToContainTextAsync("re-run of group run");
        await Expect(_page.Locator("#rerun-failed")).ToHaveCountAsync(0);
        await Shot("group-run-rerun");
        await _page.ClickAsync(".page-head .facts a[href='" + firstUrl + "']");
        await Expect(_page).ToHaveURLAsync(new Regex(Regex.Escape(firstUrl) + "$"));
    }

    // The dashboard puts the failing module first, and its state count opens the Modules page filtered to it.
    private async Task SeeTheFailingModuleFirstAsync()
    {
        await _page.GotoAsync("/");
        await Expect(_page.Locator("#failing-modules tbody tr")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#failing-modules")).ToContainTextAsync("customers_late");
        await Expect(_page.Locator("#recent-runs")).ToContainTextAsync("customers");
        await Shot("dashboard-failing");
        await _page.ClickAsync("#state-counts a[data-state=failing]");
        await Expect(_page).ToHaveURLAsync(new Regex("/modules\\?state=failing$"));
        await Expect(_page.Locator("#modules tbody tr")).ToHaveCountAsync(1);
        await Expect(_page.Locator("#modules tbody tr")).ToContainTextAsync("customers");
        await Expect(_page.Locator("#state-filter a[aria-current=true]")).ToContainTextAsync("failing");
        await Expect(_page.Locator("#page-range")).ToHaveTextAsync("1–1 of 1");
    }

    private async Task ClearAStaleLockAsync(string moduleUrl)
    {
        await _page.GotoAsync(moduleUrl);
        var moduleId = moduleUrl.Split('/')[^1];
        // A lock left by a process on this host that is gone (kill -9): no such pid.
        using (var c = new SqliteConnection("Data Source=" + _home.File("pipekit.db") + ";Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE module SET running = 1, lock_owner = $owner, locked_at = $at WHERE id = $id";
            cmd.Parameters.AddWithValue("$owner", $"{Environment.MachineName}:999999999:1");
            cmd.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.AddMinutes(-7).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            cmd.Parameters.AddWithValue("$id", long.Parse(moduleId, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }
        await _page.ReloadAsync();
        var holder = _page.Locator("#lock");
        await Expect(holder).ToContainTextAsync(Environment.MachineName);
        await Expect(holder).ToContainTextAsync("999999999");
        await Expect(holder).ToContainTextAsync("7 m ago");
        await Expect(holder).ToContainTextAsync("That process is gone");
        await Shot("module-stale-lock");
        _page.Dialog += AcceptDialog;
        await _page.ClickAsync("#clear-lock");
        _page.Dialog -= AcceptDialog;
        await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("Lock cleared");
        await Expect(_page.Locator("#lock")).ToHaveCountAsync(0);
    }

    private static async void AcceptDialog(object? sender, IDialog dialog) => await dialog.AcceptAsync();

    private async Task SortTheRunLogAsync()
    {
        await _page.GotoAsync("/runs?since=24h");
        await _page.ClickAsync("th a.sort:has-text('Rows')");
        await Expect(_page).ToHaveURLAsync(new Regex("since=24h&sort=rows$"));
        await Expect(_page.Locator("th[aria-sort=descending]")).ToContainTextAsync("Rows");
        var firstRows = await _page.Locator("table.data tbody tr").First.Locator("td.num").First.TextContentAsync();
        Assert.Equal("500", firstRows);
        await _page.ClickAsync("th a.sort:has-text('Rows')");
        await Expect(_page).ToHaveURLAsync(new Regex("sort=rows&dir=asc$"));
        await Expect(_page.Locator("th[aria-sort=ascending]")).ToContainTextAsync("Rows");
        await Expect(_page.Locator("#f-since")).ToHaveValueAsync("24h");
        await Shot("runs-sorted");
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

    private static void SeedSource(string path)
    {
        using var c = new SqliteConnection("Data Source=" + path);
        c.Open();
        using var tx = c.BeginTransaction();
        using var cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount NUMERIC(12,2), note VARCHAR(40), updated_at TEXT NOT NULL);
            CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500)
            INSERT INTO orders SELECT i, 'customer ' || (i % 37), i * 1.25, 'n' || i, '2026-11-' || printf('%02d', 1 + i % 28) FROM n;
            """;
        cmd.ExecuteNonQuery();
        tx.Commit();
    }
}
