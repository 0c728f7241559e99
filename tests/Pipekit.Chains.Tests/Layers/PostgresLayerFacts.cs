using Npgsql;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Scripts;
using Pipekit.Chains.Tests.Fixtures;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Chains.Tests.Layers;

[Collection(PostgresCollection.Name)]
public sealed class PostgresLayerFacts(PostgresFixture postgres)
{
    // Tests share one cluster, so each runs a project of its own (Unique) and cannot hit another test's layers.
    private async Task<ChainHarness> StartAsync(int maxInstances = 4)
    {
        var db = await postgres.Cluster.CreateDatabaseAsync();
        return await ChainHarness.StartAsync(new ChainsOptions
        {
            Postgres = postgres.Cluster.Uri(db),
            MaxInstances = maxInstances,
        });
    }

    private async Task<List<string>> DatabasesAsync(string prefix)
    {
        await using var connection = new NpgsqlConnection(postgres.Cluster.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE @p", connection);
        command.Parameters.AddWithValue("p", prefix + "%");
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private static Pipekit.Chains.Projects.ProjectTree Unique(string marker) =>
        SampleProjects.With(SampleProjects.Shop(), "init/00_marker.sql", $"create table marker_{marker} (x int);");

    private static string Marker() => Guid.NewGuid().ToString("N")[..10];

    [PostgresFact]
    public async Task A_hit_clones_the_template_layer_and_skips_replay()
    {
        await using var harness = await StartAsync();
        var tree = Unique(Marker());
        var cold = await harness.RunAsync(tree, "test/02_names.sql", "postgres");
        var warm = await harness.RunAsync(tree, "test/02_names.sql", "postgres");

        Assert.Equal(6, cold.Tail.ReplayedSteps);
        Assert.True(warm.Tail.Hit);
        Assert.Equal(0, warm.Tail.ReplayedSteps);
        Assert.Equal(["apple", "pear"], warm.Result.Rows.Select(r => (string)r[0]!));
        Assert.Equal("pkl_" + cold.Tail.TailHash[..24], warm.Tail.Layer!.StoreName);

        await using var connection = new NpgsqlConnection(postgres.Cluster.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT datistemplate, datallowconn FROM pg_database WHERE datname = @n", connection);
        command.Parameters.AddWithValue("n", warm.Tail.Layer.StoreName);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.True(reader.GetBoolean(0));
        Assert.False(reader.GetBoolean(1));
    }

    [PostgresFact]
    public async Task A_longest_prefix_partial_hit_replays_only_the_changed_suffix()
    {
        await using var harness = await StartAsync();
        var tree = Unique(Marker());
        await harness.RunAsync(tree, "test/02_names.sql", "postgres");
        var changed = SampleProjects.With(tree, "seed/02_audit.sql", "insert into audit values ('changed');");
        var partial = await harness.RunAsync(changed, "test/02_names.sql", "postgres");

        Assert.Equal(4, partial.Tail.CachedSteps);
        Assert.Equal(2, partial.Tail.ReplayedSteps);
        Assert.Equal("content_changed", partial.Tail.Miss!.Kind);
        Assert.Equal("seed/02_audit.sql", partial.Tail.Miss.StepPath);
    }

    [PostgresFact]
    public async Task A_new_file_and_a_reorder_are_explained()
    {
        await using var harness = await StartAsync();
        var tree = Unique(Marker());
        await harness.RunAsync(tree, "test/01_count.sql", "postgres");

        var added = SampleProjects.With(tree, "seed/01a_more.sql", "insert into item values (3, 'plum');");
        var withNew = await harness.RunAsync(added, "test/01_count.sql", "postgres");
        Assert.Equal("path_added", withNew.Tail.Miss!.Kind);
        Assert.Equal("seed/01a_more.sql", withNew.Tail.Miss.StepPath);

        var moved = Pipekit.Chains.Projects.ProjectTree.From(tree.Files.Select(f => f.Key == "seed/02_audit.sql"
            ? KeyValuePair.Create("seed/02_audit_renamed.sql", f.Value) : f));
        var renamed = await harness.RunAsync(moved, "test/01_count.sql", "postgres");
        Assert.Equal("path_moved", renamed.Tail.Miss!.Kind);
    }

    [PostgresFact]
    public async Task Concurrent_identical_jobs_build_each_layer_once()
    {
        await using var harness = await StartAsync();
        var tree = Unique(Marker());
        var runs = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => harness.RunAsync(tree, "test/01_count.sql", "postgres")));

        Assert.Equal(5, runs.Sum(r => r.Tail.ReplayedSteps));
        Assert.All(runs, r => Assert.Equal(2L, r.Result.Rows.Single()[0]));
        await harness.Runner.DrainAsync(); // a completed run's instance is dropped just after it returns
        Assert.Empty(await DatabasesAsync("pkj_"));
    }

    [PostgresFact]
    public async Task A_failure_names_file_line_and_sqlstate_and_leaves_no_build_behind()
    {
        await using var harness = await StartAsync();
        var tree = SampleProjects.With(Unique(Marker()), "seed/02_audit.sql", "insert into audit values ('ok');\ninsert into audit values (1/0);");
        var error = await Assert.ThrowsAsync<ChainStepException>(() => harness.RunAsync(tree, "test/01_count.sql", "postgres"));

        Assert.Equal("22012", error.SqlState);
        Assert.Equal("seed/02_audit.sql", error.Path);
        Assert.Equal(2, error.Line);
        Assert.Empty(await DatabasesAsync("pkb_"));
    }

    [PostgresFact]
    public async Task Cancel_during_replay_keeps_published_layers_and_drops_the_build()
    {
        await using var harness = await StartAsync();
        var tree = SampleProjects.With(Unique(Marker()), "seed/02_audit.sql", "select pg_sleep(30);");
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var run = harness.RunAsync(tree, "test/01_count.sql", "postgres", observer: observer, cancellationToken: cancel.Token);
        await observer.WaitForAsync("log:replaying seed/02_audit.sql");
        await Task.Delay(200);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Equal(4, (await harness.Layers.ListAsync("postgres", CancellationToken.None)).Count(l => l.StepPath != "seed/02_audit.sql"));
        Assert.Empty(await DatabasesAsync("pkb_"));
        Assert.Empty(await DatabasesAsync("pkj_"));
    }

    [PostgresFact]
    public async Task Cancel_during_the_head_stops_the_backend_query_and_drops_the_instance()
    {
        await using var harness = await StartAsync();
        var tree = SampleProjects.With(Unique(Marker()), "test/01_count.sql", "select pg_sleep(30);");
        var observer = new RecordingObserver();
        using var cancel = new CancellationTokenSource();
        var run = harness.RunAsync(tree, "test/01_count.sql", "postgres", observer: observer, cancellationToken: cancel.Token);
        await observer.WaitForAsync("log:running head");
        await Task.Delay(200);
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(await DatabasesAsync("pkj_"));
        Assert.Equal(5, (await harness.Layers.ListAsync("postgres", CancellationToken.None)).Count);
        await using var connection = new NpgsqlConnection(postgres.Cluster.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'select pg_sleep(30)%'", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [PostgresFact]
    public async Task A_timeout_stops_the_head_with_a_timeout_error()
    {
        await using var harness = await StartAsync();
        var tree = SampleProjects.With(Unique(Marker()), "test/01_count.sql", "select pg_sleep(30);");
        var error = await Assert.ThrowsAsync<ChainTimeoutException>(() => harness.RunAsync(tree, "test/01_count.sql", "postgres", timeoutMs: 500));
        Assert.Equal(500, error.TimeoutMs);
        Assert.Empty(await DatabasesAsync("pkj_"));
    }

    [PostgresFact]
    public async Task Jobs_beyond_max_instances_wait_in_preparing()
    {
        await using var harness = await StartAsync(maxInstances: 1);
        var tree = SampleProjects.With(Unique(Marker()), "test/01_count.sql", "select pg_sleep(1) is null as slept;");
        await harness.RunAsync(tree, "schema/01_view.sql", "postgres");
        var first = new RecordingObserver();
        var second = new RecordingObserver();
        var a = harness.RunAsync(tree, "test/01_count.sql", "postgres", observer: first);
        await first.WaitForAsync("status:running");
        var b = harness.RunAsync(tree, "test/01_count.sql", "postgres", observer: second);
        await second.WaitForAsync("log:waiting for a free instance");

        Assert.DoesNotContain("status:running", second.Events);
        await Task.WhenAll(a, b);
        Assert.Contains("status:running", second.Events);
    }

    [PostgresFact]
    public async Task Variables_are_bound_as_parameters()
    {
        await using var harness = await StartAsync();
        var outcome = await harness.RunAsync(Unique(Marker()), "test/03_param.sql", "postgres", new Dictionary<string, object?> { ["id"] = 2 });
        Assert.Equal("pear", outcome.Result.Rows.Single()[0]);
    }
}
