using Npgsql;
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

    private async Task<List<string>> WaitForSpareAsync(string layer)
    {
        for (var i = 0; i < 600; i++)
        {
            var spares = await DatabasesAsync("pks_" + layer["pkl_".Length..]);
            if (spares.Count > 0) return spares;
            await Task.Delay(50);
        }
        return [];
    }

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
            var spare = Assert.Single(await WaitForSpareAsync(layer));

            var second = await harness.WaitForEndAsync((await harness.Jobs.CreateAsync(request, CancellationToken.None)).Id);
            Assert.Equal("completed", second.Status);
            Assert.True(second.CacheHit);
            Assert.DoesNotContain(spare, await DatabasesAsync("pks_"));
            Assert.NotEmpty(await WaitForSpareAsync(layer)); // and a new one is made for the job after
        }
        Assert.Empty(await DatabasesAsync("pks_" + layer["pkl_".Length..])); // shutdown dropped the spare
    }
}
