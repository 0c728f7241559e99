using Microsoft.Playwright;

namespace Pipekit.BrowserTests;

/// <summary>Debian's Chromium through Playwright, headless, with the flags the issue names; never Playwright's own browser download.</summary>
internal static class Browser
{
    public const string Executable = "/usr/bin/chromium";

    public static readonly string[] Flags =
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        var playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = Executable, Headless = true, Args = Flags });
        return (playwright, browser);
    }

    /// <summary>The repository root (where Pipekit.slnx is), for docs/ui screenshots.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pipekit.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Pipekit.slnx not found above " + AppContext.BaseDirectory);
    }
}
