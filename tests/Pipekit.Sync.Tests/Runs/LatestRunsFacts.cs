using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

public sealed class LatestRunsFacts
{
    [Fact]
    public async Task Each_module_gets_its_newest_run_and_active_runs_are_listed()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddDuckDbAsync("dst");
        await Orders.CreateAsync(h, source, dest);
        var ran = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full, Orders.Select));
        var never = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full, Orders.Select) with { Name = "never_ran" });
        await h.RunAsync(ran, dryRun: true);
        var second = await h.RunAsync(ran);
        var queued = await h.Runs.StartAsync(never.Id, null, "manual", RunStatus.Queued, null, CancellationToken.None);

        var latest = h.Get<LatestRuns>();
        var byModule = await latest.ByModuleAsync(CancellationToken.None);
        var active = await latest.ActiveAsync(CancellationToken.None);

        Assert.Equal((second.RunId, RunStatus.Success), ((long?)byModule[ran.Id].Id, byModule[ran.Id].Status));
        Assert.Equal((queued, RunStatus.Queued), (byModule[never.Id].Id, byModule[never.Id].Status));
        Assert.Equal([queued], active.Select(r => r.Id));
    }
}
