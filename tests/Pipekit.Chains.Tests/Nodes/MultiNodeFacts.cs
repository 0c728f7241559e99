using Npgsql;
using Pipekit.Chains.Collection;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Tests.Fixtures;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Chains.Tests.Nodes;

/// <summary>Two Chains services (two nodes) in one process sharing one PostgreSQL state store and one PostgreSQL server for layers.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MultiNodeFacts(PostgresFixture postgres)
{
    private const string SlowHead = "select pg_sleep(60) is null as slept;";

    private async Task<(ChainHarness A, ChainHarness B, string StateDatabase)> StartNodesAsync(int maxInstances = 4, long? maxLayerBytes = null)
    {
        var state = await postgres.Cluster.CreateDatabaseAsync();
        var layers = await postgres.Cluster.CreateDatabaseAsync();
        var options = new ChainsOptions { Postgres = postgres.Cluster.Uri(layers), MaxInstances = maxInstances };
        if (maxLayerBytes is { } bytes) options = options with { MaxLayerBytes = bytes };
        var a = await ChainHarness.StartAsync(options, stateUrl: postgres.Cluster.Uri(state));
        var b = await ChainHarness.StartAsync(options, stateUrl: postgres.Cluster.Uri(state));
        return (a, b, state);
    }

    private static ChainJobRequest Request(Pipekit.Chains.Projects.ProjectTree tree, string head = "test/01_count.sql") =>
        new() { ProjectTree = tree.Files, HeadPath = head, Engine = "postgres" };

    private static Pipekit.Chains.Projects.ProjectTree Unique(string? head = null)
    {
        var tree = SampleProjects.With(SampleProjects.Shop(), "init/00_marker.sql", $"create table marker_{Guid.NewGuid():N} (x int);");
        return head is null ? tree : SampleProjects.With(tree, "test/01_count.sql", head);
    }

    private async Task<bool> DatabaseExistsAsync(string name)
    {
        await using var connection = new NpgsqlConnection(postgres.Cluster.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @n", connection);
        command.Parameters.AddWithValue("n", name);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    private async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(postgres.Cluster.ConnectionString(database));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [PostgresFact]
    public async Task Each_node_records_itself_as_the_owner_of_the_jobs_it_runs()
    {
        var (a, b, _) = await StartNodesAsync();
        await using (a)
        await using (b)
        {
            Assert.NotEqual(a.Jobs.NodeId, b.Jobs.NodeId);
            var job = await a.WaitForEndAsync((await a.Jobs.CreateAsync(Request(Unique()), CancellationToken.None)).Id);
            Assert.Equal("completed", job.Status);
            Assert.Equal(a.Jobs.NodeId, job.Owner);
            Assert.Equal(job.Id, (await b.Jobs.GetAsync(job.Id, CancellationToken.None)).Id);
        }
    }

    [PostgresFact]
    public async Task Max_instances_counts_the_instances_of_every_node_and_a_cancel_reaches_the_owning_node()
    {
        var (a, b, _) = await StartNodesAsync(maxInstances: 1);
        await using (a)
        await using (b)
        {
            var slow = await a.Jobs.CreateAsync(Request(Unique(SlowHead)), CancellationToken.None);
            await a.WaitForJobAsync(slow.Id, j => j.Status == ChainStages.Running);

            // B has a free slot of its own count, but the store says the one slot is A's: B's job waits in preparing.
            var queued = await b.Jobs.CreateAsync(Request(Unique()), CancellationToken.None);
            await b.WaitForJobAsync(queued.Id, j => j.Status == ChainStages.Preparing && j.Stage == ChainStages.InstanceBoot);
            await Task.Delay(1000);
            var waiting = await b.Jobs.GetAsync(queued.Id, CancellationToken.None);
            Assert.Equal(ChainStages.Preparing, waiting.Status);
            Assert.Contains(await b.Jobs.LogsAsync(queued.Id, 0, 100, CancellationToken.None), l => l.Line.StartsWith("waiting for a free instance", StringComparison.Ordinal));

            // Cancel A's job on B: B records the request, A stops the job, drops its instance and frees the slot.
            var canceled = await b.Jobs.CancelAsync(slow.Id, CancellationToken.None);
            Assert.Equal(ChainStages.Canceled, canceled.Status);
            Assert.NotNull(canceled.CancelRequestedAt);
            Assert.Equal(a.Jobs.NodeId, canceled.Owner);
            Assert.False(await DatabaseExistsAsync($"pkj_{slow.Id}"));

            var done = await b.WaitForEndAsync(queued.Id);
            Assert.Equal("completed", done.Status);
            Assert.Equal(b.Jobs.NodeId, done.Owner);
        }
    }

    [PostgresFact]
    public async Task Startup_cleanup_and_gc_leave_a_live_nodes_job_and_instance_alone_and_fail_one_whose_lease_lapsed()
    {
        var (a, b, state) = await StartNodesAsync();
        await using (a)
        await using (b)
        {
            var slow = await a.Jobs.CreateAsync(Request(Unique(SlowHead)), CancellationToken.None);
            await a.WaitForJobAsync(slow.Id, j => j.Status == ChainStages.Running);

            // B starting up (and collecting) while A runs the job: nothing of A's is touched.
            Assert.Equal(0, await b.Jobs.FailInterruptedAsync(CancellationToken.None));
            var report = await b.Get<LayerCollector>().CollectAsync(CancellationToken.None);
            Assert.Equal(0, report.JobsFailed);
            Assert.Equal(ChainStages.Running, (await b.Jobs.GetAsync(slow.Id, CancellationToken.None)).Status);
            Assert.True(await DatabaseExistsAsync($"pkj_{slow.Id}"));

            // A's heartbeat lapses (as when its server is killed): now B fails the job.
            // (A renews its heartbeat every few seconds; should that land between the two statements, B rightly fails nothing and we lapse it again.)
            var failedCount = 0;
            for (var attempt = 0; attempt < 3 && failedCount == 0; attempt++)
            {
                await ExecuteAsync(state, $"UPDATE chain_job SET heartbeat_at = '2000-01-01T00:00:00.000Z' WHERE id = {slow.Id}");
                failedCount = await b.Jobs.FailInterruptedAsync(CancellationToken.None);
            }
            Assert.Equal(1, failedCount);
            var failed = await b.Jobs.GetAsync(slow.Id, CancellationToken.None);
            Assert.Equal("failed", failed.Status);
            Assert.Contains("stopped", failed.Error!.Message);

            // A (alive after all) stops its run when told to; the job keeps the ending B recorded.
            await a.Jobs.StopAsync();
            Assert.Equal("failed", (await a.Jobs.GetAsync(slow.Id, CancellationToken.None)).Status);
            Assert.False(await DatabaseExistsAsync($"pkj_{slow.Id}"));
        }
    }

    [PostgresFact]
    public async Task A_cancel_of_a_job_whose_node_is_gone_ends_it_at_once()
    {
        var (a, b, state) = await StartNodesAsync();
        await using (a)
        await using (b)
        {
            var slow = await a.Jobs.CreateAsync(Request(Unique(SlowHead)), CancellationToken.None);
            await a.WaitForJobAsync(slow.Id, j => j.Status == ChainStages.Running);
            await ExecuteAsync(state, $"UPDATE chain_job SET owner = 'gone-host:1:dead', heartbeat_at = '2000-01-01T00:00:00.000Z' WHERE id = {slow.Id}");

            var canceled = await b.Jobs.CancelAsync(slow.Id, CancellationToken.None);
            Assert.Equal(ChainStages.Canceled, canceled.Status);
            Assert.Contains("had stopped", canceled.Error!.Message);
            await a.Jobs.StopAsync();
        }
    }

    [PostgresFact]
    public async Task Another_nodes_gc_between_a_run_finding_its_tail_and_cloning_it_leaves_the_layer_and_the_run_completes()
    {
        // Every layer is over max_layer_bytes, so B's GC evicts whatever no one holds.
        var (a, b, _) = await StartNodesAsync(maxLayerBytes: 1);
        await using (a)
        await using (b)
        {
            var tree = Unique();
            var built = await a.RunAsync(tree, "test/01_count.sql", "postgres");
            Assert.False(built.Tail.Hit);

            // The race, made deterministic: B collects exactly when A has found its cached tail and not yet cloned it.
            CollectionReport? report = null;
            var observer = new TailObserver(async () => report = await b.Get<LayerCollector>().CollectAsync(CancellationToken.None));
            var hit = await a.RunAsync(tree, "test/01_count.sql", "postgres", observer: observer);

            Assert.True(hit.Tail.Hit);
            Assert.NotNull(report);
            Assert.True(await DatabaseExistsAsync(hit.Tail.Layer!.StoreName));
            Assert.Contains(await b.Layers.ListAsync("postgres", CancellationToken.None), l => l.Id == hit.Tail.Layer.Id);

            // Once the run has its instance, nothing holds the layer any more: the next pass evicts it.
            await b.Get<LayerCollector>().CollectAsync(CancellationToken.None);
            Assert.False(await DatabaseExistsAsync(hit.Tail.Layer.StoreName));
        }
    }

    /// <summary>Runs <paramref name="onTail"/> when the run reports its prepared tail, before it clones the instance.</summary>
    private sealed class TailObserver(Func<Task> onTail) : IChainRunObserver
    {
        public Task StatusAsync(string status, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StageAsync(string stage, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task LogAsync(string line, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task TailAsync(Pipekit.Chains.Layers.TailState tail, CancellationToken cancellationToken) => onTail();
    }
}
