using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

public sealed class LatestRunsFacts
{
    [Fact]
    public async Task A_module_that_never_ran_is_listed_without_a_run()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddDuckDbAsync("dst");
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Append, Orders.Select) with { Enabled = false });

        var status = Assert.Single(await h.Get<LatestRuns>().ModulesAsync(CancellationToken.None));

        Assert.Equal((module.Id, false, (RunLogEntry?)null), (status.ModuleId, status.Enabled, status.Last));
    }

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
        var statuses = (await latest.ModulesAsync(CancellationToken.None)).ToDictionary(s => s.ModuleId);
        Assert.Equal((ran.Name, MergeStrategy.Full, true, second.RunId), (statuses[ran.Id].Name, statuses[ran.Id].Strategy, statuses[ran.Id].Enabled, (long?)statuses[ran.Id].Last!.Id));
        Assert.Equal(RunStatus.Queued, statuses[never.Id].Last!.Status);
    }
}
