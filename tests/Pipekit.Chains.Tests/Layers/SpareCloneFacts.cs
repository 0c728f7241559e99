using Npgsql;
using Pipekit.Chains.Engines;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Tests.Fixtures;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Chains.Tests.Layers;

[Collection(PostgresCollection.Name)]
public sealed class SpareCloneFacts(PostgresFixture postgres)
{
    private async Task<List<string>> DatabasesAsync(string prefix)
    {
        await using var connection = new NpgsqlConnection(postgres.Cluster.AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE @p ORDER BY datname", connection);
        command.Parameters.AddWithValue("p", prefix + "%");
        var names = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    private async Task<List<string>> WaitForSparesAsync(string layer, int count = 1)
    {
        for (var i = 0; i < 600; i++)
        {
            var spares = await DatabasesAsync("pks_" + layer["pkl_".Length..]);
            if (spares.Count >= count) return spares;
            await Task.Delay(50);
        }
        return [];
    }

    private static async Task<string> InstanceLineAsync(ChainHarness harness, long id) =>
        (await harness.Jobs.LogsAsync(id, 0, 1000, CancellationToken.None)).Select(l => l.Line).Single(l => l.StartsWith($"instance pkj_{id} is ", StringComparison.Ordinal));

    [PostgresFact]
    public async Task A_job_leaves_a_spare_clone_of_its_layer_that_the_next_job_takes_and_shutdown_drops()
    {
        var db = await postgres.Cluster.CreateDatabaseAsync();
        var harness = await ChainHarness.StartAsync(new ChainsOptions { Postgres = postgres.Cluster.Uri(db) });
        string layer;
        await using (harness)
        {
            var tree = SampleProjects.With(SampleProjects.Shop(), "init/00_marker.sql", $"create table marker_{Guid.NewGuid():N} (x int);");
            var request = new ChainJobRequest { ProjectTree = tree.Files, HeadPath = "test/02_names.sql", Engine = "postgres" };
            var first = await harness.WaitForEndAsync((await harness.Jobs.CreateAsync(request, CancellationToken.None)).Id);
            layer = (await harness.Layers.ListAsync("postgres", CancellationToken.None)).Single(l => l.Id == first.LayerId).StoreName;
            Assert.Contains("is a copy of", await InstanceLineAsync(harness, first.Id));
            var spares = await WaitForSparesAsync(layer, SparePool.PerLayer);
            Assert.Equal(SparePool.PerLayer, spares.Count);

            var second = await harness.WaitForEndAsync((await harness.Jobs.CreateAsync(request, CancellationToken.None)).Id);
            Assert.Equal("completed", second.Status);
            Assert.True(second.CacheHit);
            // (The pool may not have recorded the last copy as ready yet, though the database exists: then it waits for it.)
            Assert.Matches(@"is a (ready spare clone|spare clone it waited \d+ ms for) of " + layer, await InstanceLineAsync(harness, second.Id));
            var left = await DatabasesAsync("pks_");
            Assert.Single(spares, s => !left.Contains(s));
            Assert.Equal(SparePool.PerLayer, (await WaitForSparesAsync(layer, SparePool.PerLayer)).Count); // topped up for the job after
        }
        Assert.Empty(await DatabasesAsync("pks_" + layer["pkl_".Length..])); // shutdown dropped the spare
    }

    [PostgresFact]
    public async Task Jobs_run_back_to_back_each_take_a_spare_ready_or_being_made_and_never_copy_the_layer_themselves()
    {
        var db = await postgres.Cluster.CreateDatabaseAsync();
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { Postgres = postgres.Cluster.Uri(db) });
        var tree = SampleProjects.With(SampleProjects.Shop(), "init/00_marker.sql", $"create table marker_{Guid.NewGuid():N} (x int);");
        var request = new ChainJobRequest { ProjectTree = tree.Files, HeadPath = "test/02_names.sql", Engine = "postgres" };
        await harness.WaitForEndAsync((await harness.Jobs.CreateAsync(request, CancellationToken.None)).Id);

        // Each take starts the next copy at once, so a job that finds no spare ready finds one being made and waits for it.
        for (var i = 0; i < 2 * SparePool.PerLayer + 1; i++)
        {
            var job = await harness.WaitForEndAsync((await harness.Jobs.CreateAsync(request, CancellationToken.None)).Id);
            Assert.Equal("completed", job.Status);
            Assert.Matches(@"is a (ready spare clone|spare clone it waited \d+ ms for) of pkl_", await InstanceLineAsync(harness, job.Id));
        }
    }
}
