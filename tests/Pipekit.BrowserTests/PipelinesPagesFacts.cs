using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Pipekit.Testing;
using Xunit;
using static Microsoft.Playwright.Assertions;

namespace Pipekit.BrowserTests;

/// <summary>
/// The pipeline pages in real Chromium against a real <c>pipekit serve</c>: the list, a DAG's graph, a run started from the
/// page and watched to success with its task logs, and an invalid project's problems. Screenshots go to docs/ui/.
/// </summary>
public sealed class PipelinesPagesFacts : IAsyncLifetime
{
    private readonly TempDirectory _home = new();
    private ServeProcess _serve = null!;
    private IPlaywright _playwright = null!;
    private IBrowser _browser = null!;
    private IPage _page = null!;
    private readonly string _shots = Path.Combine(Browser.RepositoryRoot(), "docs", "ui");

    public async Task InitializeAsync()
    {
        WriteWorkspace(Path.Combine(_home.Path, "workspace", "projects"));
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
    public async Task A_data_engineer_opens_a_dag_runs_it_and_reads_a_task_log()
    {
        try
        {
            await LogInAsync();

            await _page.ClickAsync("nav >> text=Pipelines");
            await Expect(_page.Locator("h1")).ToHaveTextAsync("Pipelines");
            var row = _page.Locator("tr", new() { HasText = "nightly_etl" });
            await Expect(row.Locator("td.num")).ToHaveTextAsync("4");
            await Expect(row).ToContainTextAsync("every day at 02:20");
            await Expect(row).ToContainTextAsync("never run");
            await Expect(_page.Locator(".notice.err .problems")).ToContainTextAsync("pit.toml:");
            await Shot("pipelines");

            await _page.ClickAsync("a[href='/pipelines/broken']");
            await Expect(_page.Locator("#problems")).ToContainTextAsync("missing_task");
            await Expect(_page.Locator("#problems .problems code").First).ToContainTextAsync(new Regex(@"pit\.toml:\d+"));
            await Expect(_page.Locator("button[data-shortcut-run]")).ToHaveCountAsync(0);

            await _page.GotoAsync("/pipelines/nightly_etl");
            await Expect(_page.Locator("svg.dag a.node")).ToHaveCountAsync(4);
            await Expect(_page.Locator("svg.dag path.edge")).ToHaveCountAsync(4);
            await Expect(_page.Locator("#task-clean")).ToContainTextAsync("python");
            await Shot("pipeline-dag");

            await _page.ClickAsync("button[data-shortcut-run]");
            await Expect(_page.Locator(".notice.ok")).ToContainTextAsync("started");
            await _page.ClickAsync("text=Follow it");
            await Expect(_page).ToHaveURLAsync(new Regex(@"/pipeline-runs/\d+$"));
            // The page follows the run every 2 s and reloads itself when the run ends.
            await Expect(_page.Locator(".page-head .st")).ToContainTextAsync("success", new() { Timeout = 60_000 });
            await Expect(_page.Locator("svg.dag a.node.st-success")).ToHaveCountAsync(4);
            await Expect(_page.Locator("tr[data-task=check] td.num").First).ToHaveTextAsync("2");
            await Expect(_page.Locator("#log-lines-extract")).ToContainTextAsync("extracted 42 rows");
            await Expect(_page.Locator("#log-lines-check")).ToContainTextAsync("--- retry attempt 1/1 ---");
            await Expect(_page.Locator("#log-lines-check li.err").First).ToContainTextAsync("warehouse not ready");
            await Shot("pipeline-run");

            await _page.GotoAsync("/pipelines");
            await Expect(_page.Locator("tr", new() { HasText = "nightly_etl" })).ToContainTextAsync("success");
            await _page.GotoAsync("/");
            await Expect(_page.Locator("#pipeline-runs")).ToContainTextAsync("nightly_etl");
        }
        catch
        {
            var failures = Path.Combine(AppContext.BaseDirectory, "browser-failures");
            Directory.CreateDirectory(failures);
            await _page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(failures, "pipelines-failure.png"), FullPage = true });
            await File.WriteAllTextAsync(Path.Combine(failures, "pipelines-failure.html"), await _page.ContentAsync());
            throw;
        }
    }

    private async Task LogInAsync()
    {
        await _page.GotoAsync("/login");
        await _page.FillAsync("#user", ServeProcess.User);
        await _page.FillAsync("#password", ServeProcess.Password);
        await _page.ClickAsync("button[type=submit]");
        await Expect(_page.Locator("h1")).ToHaveTextAsync("Dashboard");
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

    private static void WriteWorkspace(string projects)
    {
        var etl = Directory.CreateDirectory(Path.Combine(projects, "nightly_etl")).FullName;
        File.WriteAllText(Path.Combine(etl, "pit.toml"), """
            [dag]
            name = "nightly_etl"
            schedule = "20 2 * * *"

            [[tasks]]
            name = "extract"
            script = "extract.sh"

            [[tasks]]
            name = "clean"
            script = "clean.py"
            depends_on = ["extract"]

            [[tasks]]
            name = "check"
            script = "check.sh"
            depends_on = ["extract"]
            retries = 1
            retry_delay = "1s"

            [[tasks]]
            name = "load"
            script = "load.sh"
            depends_on = ["clean", "check"]
            """);
        File.WriteAllText(Path.Combine(etl, "extract.sh"), "echo \"extracted 42 rows\"\n");
        File.WriteAllText(Path.Combine(etl, "clean.py"), "print('cleaned 42 rows')\n");
        File.WriteAllText(Path.Combine(etl, "check.sh"), "if [ ! -f .checked ]; then touch .checked; echo 'error: warehouse not ready'; exit 1; fi\necho 'warehouse ready'\n");
        File.WriteAllText(Path.Combine(etl, "load.sh"), "echo \"loaded 42 rows into reports\"\n");

        var broken = Directory.CreateDirectory(Path.Combine(projects, "broken")).FullName;
        File.WriteAllText(Path.Combine(broken, "pit.toml"), """
            [[tasks]]
            name = "only"
            script = "only.sh"
            depends_on = ["missing_task"]
            """);
        File.WriteAllText(Path.Combine(broken, "only.sh"), "echo hi\n");
    }
}
