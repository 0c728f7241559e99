using Microsoft.Extensions.Time.Testing;
using Pipekit.Chains.Collection;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Tests.Fixtures;
using Pipekit.Core.Configuration;
using Xunit;

namespace Pipekit.Chains.Tests.Collection;

public sealed class LayerCollectorFacts
{
    private const string Slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) SELECT count(*) FROM c;";

    private static string LayerFiles(ChainHarness h) => Path.Combine(h.Home, "layers", "sqlite");

    [Fact]
    public async Task Layers_unused_past_snapshot_ttl_are_dropped_and_recent_ones_kept()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { SnapshotTtl = 3600 }, time);
        await harness.RunAsync(SampleProjects.Shop(), "test/01_count.sql", "sqlite");
        time.Advance(TimeSpan.FromMinutes(30));
        var kept = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Equal(0, kept.LayersExpired);
        Assert.Equal(4, kept.LayersKept);

        time.Advance(TimeSpan.FromMinutes(31));
        var report = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Equal(4, report.LayersExpired);
        Assert.Empty(await harness.Layers.ListAsync(null, CancellationToken.None));
        Assert.Empty(Directory.GetFiles(LayerFiles(harness), "*.db"));
    }

    [Fact]
    public async Task Over_max_layer_bytes_the_least_recently_used_go_first()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { MaxLayerBytes = 2 * 8192 }, time);
        await harness.RunAsync(SampleProjects.Shop(), "test/01_count.sql", "sqlite");
        time.Advance(TimeSpan.FromMinutes(1));
        var recent = await harness.RunAsync(SampleProjects.Shop(seedRows: "(1, 'fig')"), "test/01_count.sql", "sqlite");

        var report = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        var left = await harness.Layers.ListAsync(null, CancellationToken.None);
        Assert.True(report.LayersEvicted >= 1);
        Assert.True(left.Sum(l => l.SizeBytes) <= 2 * 8192);
        Assert.Contains(left, l => l.StateHash == recent.Tail.TailHash);
        Assert.All(left, l => Assert.True(File.Exists(l.StoreName)));
    }

    [Fact]
    public async Task A_claimed_layer_is_kept_until_its_claim_lapses_and_a_layer_gc_took_cannot_be_claimed()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { MaxLayerBytes = 1 }, time);
        var layer = (await harness.RunAsync(SampleProjects.Shop(), "test/01_count.sql", "sqlite")).Tail.Layer!;
        await harness.Runner.DrainAsync(); // the run has released its own claims
        // A run on another server claimed it and died without releasing it.
        Assert.True(await harness.Layers.ClaimAsync(layer.Id, "run:pkj_9:dead", time.GetUtcNow(), time.GetUtcNow().AddHours(1), hit: false, CancellationToken.None));

        Assert.Contains(layer.Id, (await harness.Get<LayerCollector>().PreviewAsync(CancellationToken.None)).Kept);
        var report = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Equal(3, report.LayersEvicted);
        Assert.Equal([layer.Id], (await harness.Layers.ListAsync(null, CancellationToken.None)).Select(l => l.Id));
        Assert.True(File.Exists(layer.StoreName));

        time.Advance(TimeSpan.FromMinutes(61));
        await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Empty(await harness.Layers.ListAsync(null, CancellationToken.None));
        Assert.False(File.Exists(layer.StoreName));
        Assert.False(await harness.Layers.ClaimAsync(layer.Id, "run:pkj_10:late", time.GetUtcNow(), time.GetUtcNow().AddHours(1), hit: true, CancellationToken.None));
    }

    [Fact]
    public async Task A_live_jobs_layer_is_never_dropped()
    {
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { MaxLayerBytes = 1, SnapshotTtl = 1 });
        var tree = SampleProjects.With(SampleProjects.Shop(), "test/01_count.sql", Slow);
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        // On a pool thread: Microsoft.Data.Sqlite runs a statement synchronously, so when every await before the head
        // completes at once the endless head would run on this test's thread, and the cancel below would never come.
        var run = Task.Run(() => harness.RunAsync(tree, "test/01_count.sql", "sqlite", observer: observer, cancellationToken: cancel.Token));
        await observer.WaitForAsync("log:running head");

        await Task.Delay(1100); // past the 1 s snapshot_ttl
        var report = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        var left = await harness.Layers.ListAsync(null, CancellationToken.None);
        Assert.Equal(3, report.LayersExpired);
        var live = Assert.Single(left);
        Assert.Equal("seed/02_audit.sql", live.StepPath);
        Assert.True(File.Exists(live.StoreName));

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Empty(await harness.Layers.ListAsync(null, CancellationToken.None));
    }

    [Fact]
    public async Task Ended_jobs_past_job_ttl_are_deleted_with_their_files_and_logs()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        await using var harness = await ChainHarness.StartAsync(time: time);
        var jobs = harness.Get<ChainJobService>();
        var job = await jobs.CreateAsync(new ChainJobRequest
        {
            ProjectTree = SampleProjects.Shop().Files, HeadPath = "test/01_count.sql", Engine = "sqlite", JobTtl = 60,
        }, CancellationToken.None);
        for (var i = 0; i < 400 && !(await jobs.GetAsync(job.Id, CancellationToken.None)).IsTerminal; i++) await Task.Delay(25);
        Assert.Equal("completed", (await jobs.GetAsync(job.Id, CancellationToken.None)).Status);

        time.Advance(TimeSpan.FromSeconds(61));
        var report = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Equal(1, report.JobsDeleted);
        await Assert.ThrowsAsync<Jobs.ChainJobNotFoundException>(() => jobs.GetAsync(job.Id, CancellationToken.None));
    }
}
