using Npgsql;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Tests.Fixtures;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Chains.Tests.Layers;

[Collection(PostgresCollection.Name)]
public sealed class LayerFreezeFacts(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task A_postgres_layer_is_sealed_with_the_rows_its_steps_wrote_frozen_and_all_visible()
    {
        var db = await postgres.Cluster.CreateDatabaseAsync();
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { Postgres = postgres.Cluster.Uri(db) });
        var tree = SampleProjects.Shop("(1, 'apple')",
            ("seed/03_many.sql", "insert into item select g, 'item ' || g from generate_series(10, 5000) g;"),
            ("seed/04_untouched.sql", "create table empty_one (x int);"));
        var request = new ChainJobRequest { ProjectTree = tree.Files, HeadPath = "test/01_count.sql", Engine = "postgres", KeepInstance = true };
        var job = await harness.WaitForEndAsync((await harness.Jobs.CreateAsync(request, CancellationToken.None)).Id);
        Assert.Equal("completed", job.Status);
        Assert.Equal("4992", job.Result!.Rows[0][0]?.ToString());

        // The instance is a clone of the tail layer: every row the seed steps wrote is frozen (HEAP_XMIN_FROZEN), so
        // reading it needs no transaction lookups and rewrites no page.
        await using var connection = new NpgsqlConnection(postgres.Cluster.ConnectionString($"pkj_{job.Id}"));
        await connection.OpenAsync();
        await using (var extension = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pageinspect", connection))
            await extension.ExecuteNonQueryAsync();
        foreach (var table in new[] { "item", "audit" })
        {
            await using var command = new NpgsqlCommand(
                $"""
                SELECT count(*), count(*) FILTER (WHERE (t_infomask & 768) = 768)
                FROM generate_series(0, pg_relation_size('{table}') / 8192 - 1) AS p, heap_page_items(get_raw_page('{table}', p::int))
                WHERE lp_flags = 1
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.GetInt64(0) > 0, $"{table} has rows");
            Assert.Equal(reader.GetInt64(0), reader.GetInt64(1));
        }
        await using var pages = new NpgsqlCommand("SELECT relpages, relallvisible FROM pg_class WHERE relname = 'item'", connection);
        await using (var reader = await pages.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.True(reader.GetInt32(0) > 1);
            Assert.Equal(reader.GetInt32(0), reader.GetInt32(1)); // every page all-visible: index-only scans need no heap
        }
    }
}
