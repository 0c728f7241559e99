using Pipekit.Chains.Jobs;
using Pipekit.Chains.Scripts;
using Pipekit.Chains.Tests.Fixtures;
using Pipekit.Core.Configuration;
using Xunit;

namespace Pipekit.Chains.Tests.Layers;

public sealed class FileLayerFacts
{
    [Theory]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task A_hit_skips_replay_and_gives_the_same_result(string engine)
    {
        await using var harness = await ChainHarness.StartAsync();
        var cold = await harness.RunAsync(SampleProjects.Shop(), "test/02_names.sql", engine);
        var warm = await harness.RunAsync(SampleProjects.Shop(), "test/02_names.sql", engine);

        Assert.False(cold.Tail.Hit);
        Assert.Equal(5, cold.Tail.ReplayedSteps);
        Assert.True(warm.Tail.Hit);
        Assert.Equal(0, warm.Tail.ReplayedSteps);
        Assert.Equal(cold.Tail.TailHash, warm.Tail.TailHash);
        Assert.Equal(["apple", "pear"], warm.Result.Rows.Select(r => (string)r[0]!));
        Assert.Equal("name", warm.Result.Columns.Single().Name);
        Assert.True(File.Exists(Path.Combine(harness.Home, "layers", engine, cold.Tail.TailHash + ".db")));
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task A_branch_reuses_the_common_prefix_and_replays_only_what_differs(string engine)
    {
        await using var harness = await ChainHarness.StartAsync();
        await harness.RunAsync(SampleProjects.Shop(), "test/01_count.sql", engine);
        var branch = await harness.RunAsync(SampleProjects.Shop(seedRows: "(1, 'fig')"), "test/01_count.sql", engine);

        Assert.False(branch.Tail.Hit);
        Assert.Equal(2, branch.Tail.CachedSteps);
        Assert.Equal(2, branch.Tail.ReplayedSteps);
        Assert.Equal("content_changed", branch.Tail.Miss!.Kind);
        Assert.Equal("seed/01_items.sql", branch.Tail.Miss.StepPath);
        Assert.Equal(1L, Convert.ToInt64(branch.Result.Rows.Single()[0], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task A_failing_statement_is_reported_with_its_file_and_line_and_publishes_nothing(string engine)
    {
        await using var harness = await ChainHarness.StartAsync();
        var tree = SampleProjects.With(SampleProjects.Shop(), "seed/02_audit.sql", "insert into audit values ('ok');\n\ninsert into no_such_table values (1);");
        var error = await Assert.ThrowsAsync<ChainStepException>(() => harness.RunAsync(tree, "test/01_count.sql", engine));

        Assert.Equal("seed/02_audit.sql", error.Path);
        Assert.Equal(3, error.Line);
        Assert.Contains("no_such_table", error.Message);
        Assert.Equal(3, (await harness.Layers.ListAsync(engine, CancellationToken.None)).Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(harness.Home, "layers", engine, "work")));
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task Variables_are_bound_as_parameters_never_spliced(string engine)
    {
        await using var harness = await ChainHarness.StartAsync();
        var tree = SampleProjects.With(SampleProjects.Shop(), "test/00_echo.sql", "select @text as echoed, @id + 1 as next;");
        const string hostile = "x'); drop table item; --";
        var outcome = await harness.RunAsync(tree, "test/00_echo.sql", engine, new Dictionary<string, object?> { ["text"] = hostile, ["id"] = 41L });

        Assert.Equal(hostile, outcome.Result.Rows.Single()[0]);
        Assert.Equal(42L, Convert.ToInt64(outcome.Result.Rows.Single()[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task Concurrent_identical_jobs_build_each_layer_once(string engine)
    {
        await using var harness = await ChainHarness.StartAsync();
        var runs = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => harness.RunAsync(SampleProjects.Shop(), "test/01_count.sql", engine)));

        Assert.Equal(4, runs.Sum(r => r.Tail.ReplayedSteps));
        Assert.Equal(4, (await harness.Layers.ListAsync(engine, CancellationToken.None)).Count);
        Assert.All(runs, r => Assert.Equal(2L, Convert.ToInt64(r.Result.Rows.Single()[0], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Tail_only_publishing_keeps_one_layer_per_replay()
    {
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { Publish = "tail_only" });
        var cold = await harness.RunAsync(SampleProjects.Shop(), "test/01_count.sql", "sqlite");
        var warm = await harness.RunAsync(SampleProjects.Shop(), "test/01_count.sql", "sqlite");

        Assert.Equal(4, cold.Tail.ReplayedSteps);
        Assert.True(warm.Tail.Hit);
        Assert.Single(await harness.Layers.ListAsync("sqlite", CancellationToken.None));
    }

    [Fact]
    public async Task An_empty_tail_runs_the_head_on_an_empty_database()
    {
        await using var harness = await ChainHarness.StartAsync();
        var outcome = await harness.RunAsync(SampleProjects.Shop(), "init/01_tables.sql", "duckdb");
        Assert.True(outcome.Tail.Hit);
        Assert.Null(outcome.Tail.Layer);
        Assert.Equal(0, outcome.Result.RowCount);
    }

    [Fact]
    public async Task Stages_are_reported_in_order_with_their_timings()
    {
        await using var harness = await ChainHarness.StartAsync();
        var observer = new RecordingObserver();
        var outcome = await harness.RunAsync(SampleProjects.Shop(), "test/01_count.sql", "sqlite", observer: observer);

        Assert.Equal(
            [ChainStages.SnapshotLookup, ChainStages.TailReplay, ChainStages.InstanceBoot, ChainStages.HeadExecution, ChainStages.Publishing],
            outcome.Stages.Select(s => s.Stage));
        Assert.Equal(["status:preparing", "status:running", "status:publishing"], observer.Events.Where(e => e.StartsWith("status:", StringComparison.Ordinal)));
    }
}
