using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>
/// <c>pipekit demo</c> end to end, as a newcomer runs it (without serving): every part it shows must work, and its
/// output must say so.
/// </summary>
public sealed class DemoFacts
{
    [Fact]
    public async Task The_demo_shows_every_part_working_and_exits_0()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        cli.Environment["PIPEKIT_HOME"] = home.File("demo");

        var demo = await cli.RunAsync("demo", "--no-serve");

        Assert.True(demo.ExitCode == 0, demo.Out + demo.Error);
        foreach (var expected in new[]
                 {
                     "+ schedule nightly '0 20 2 * * *' Europe/London",
                     "applied again, nothing changes: 9 unchanged",
                     "group nightly: success (group run 2)",
                     "orders delete detection: 200 rows left the shop and were deleted; after the run: verified, keys match",
                     "pipekit verify orders --columns: verify (columns): match; source 200300 rows, destination 200300 rows",
                     "to-table snapshots.customers: success, 5,000 rows",
                     "run 1: success; logs in",
                     ": ok",
                     "snapshot: hit",
                 })
            Assert.Contains(expected, demo.Out);
        Assert.DoesNotContain("FAILED", demo.Out);
        Assert.DoesNotContain("fail ", demo.Out);

        // The lake module's runs registered its dataset: it says so, and removing it names the module.
        var list = await cli.RunAsync("datasets", "list");
        Assert.Contains("sync:lake_orders", list.Out);
        var remove = await cli.RunAsync("datasets", "remove", "lake_orders");
        Assert.Equal(2, remove.ExitCode);
        Assert.Contains("belongs to sync module 'lake_orders'", remove.Error);
    }
}
