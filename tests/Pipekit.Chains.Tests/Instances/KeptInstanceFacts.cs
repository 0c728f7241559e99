using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Pipekit.Chains.Collection;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Tests.Fixtures;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Chains.Tests.Instances;

[Collection(PostgresCollection.Name)]
public sealed class KeptInstanceFacts(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static ChainJobRequest Request(string engine, bool keep, int? snapshotTtl = null, Pipekit.Chains.Projects.ProjectTree? tree = null) => new()
    {
        ProjectTree = (tree ?? SampleProjects.Shop()).Files, HeadPath = "test/01_count.sql", Engine = engine, KeepInstance = keep, SnapshotTtl = snapshotTtl,
    };

    [Theory]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task A_kept_file_instance_stays_until_its_snapshot_ttl_and_gc_then_drops_it(string engine)
    {
        var time = new FakeTimeProvider(Start);
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { SnapshotTtl = 3600 }, time);
        var created = await harness.Jobs.CreateAsync(Request(engine, keep: true, snapshotTtl: 600), CancellationToken.None);
        var job = await harness.WaitForEndAsync(created.Id);

        Assert.Equal("completed", job.Status);
        Assert.True(job.KeepInstance);
        var instance = Assert.IsType<KeptInstance>(job.Instance);
        Assert.Equal($"pkj_{job.Id}.db", Path.GetFileName(instance.Name));
        Assert.Equal(instance.Name, instance.Connect);
        Assert.True(File.Exists(instance.Name));
        Assert.Equal(job.FinishedAt!.Value.AddSeconds(600), job.InstanceKeptUntil);
        Assert.True(job.ExpiresAt >= job.InstanceKeptUntil);

        // The instance holds the tail's state: the head's table is there with the seeded rows.
        var driver = harness.Get<Core.Drivers.DriverRegistry>().Get(engine);
        await using (var connection = await driver.OpenAsync(new Core.Drivers.ResolvedConnection("t", engine,
            engine == "duckdb" ? $"duckdb://{instance.Connect}" : $"sqlite://{instance.Connect}?Pooling=False", null, null, null), CancellationToken.None))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "select count(*) from item";
            Assert.Equal(2L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        time.Advance(TimeSpan.FromSeconds(599));
        var early = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Equal(0, early.InstancesDropped);
        Assert.True(File.Exists(instance.Name));

        time.Advance(TimeSpan.FromSeconds(2));
        var due = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Equal(1, due.InstancesDropped);
        Assert.False(File.Exists(instance.Name));
        var after = await harness.Jobs.GetAsync(job.Id, CancellationToken.None);
        Assert.NotNull(after.InstanceDroppedAt);
    }

    [Fact]
    public async Task A_job_that_does_not_ask_keeps_nothing()
    {
        await using var harness = await ChainHarness.StartAsync();
        var created = await harness.Jobs.CreateAsync(Request("sqlite", keep: false), CancellationToken.None);
        var job = await harness.WaitForEndAsync(created.Id);
        await harness.Runner.DrainAsync();

        Assert.Equal("completed", job.Status);
        Assert.Null(job.Instance);
        Assert.Null(job.InstanceKeptUntil);
        Assert.Empty(Directory.GetFiles(Path.Combine(harness.Home, "layers", "sqlite", "work")));
    }

    [Fact]
    public async Task A_kept_instance_uses_the_configured_snapshot_ttl_when_the_job_names_none()
    {
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { SnapshotTtl = 120 });
        var created = await harness.Jobs.CreateAsync(Request("sqlite", keep: true), CancellationToken.None);
        var job = await harness.WaitForEndAsync(created.Id);
        Assert.Equal(job.FinishedAt!.Value.AddSeconds(120), job.InstanceKeptUntil);
    }

    [Fact]
    public async Task A_job_past_its_job_ttl_is_kept_while_its_instance_is()
    {
        var time = new FakeTimeProvider(Start);
        await using var harness = await ChainHarness.StartAsync(time: time);
        var created = await harness.Jobs.CreateAsync(Request("sqlite", keep: true, snapshotTtl: 600) with { JobTtl = 60 }, CancellationToken.None);
        var job = await harness.WaitForEndAsync(created.Id);

        time.Advance(TimeSpan.FromSeconds(120));
        Assert.Equal(0, (await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None)).JobsDeleted);
        Assert.True(File.Exists(job.Instance!.Name));

        time.Advance(TimeSpan.FromSeconds(600));
        var report = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Equal(1, report.InstancesDropped);
        Assert.False(File.Exists(job.Instance.Name));
        Assert.Equal(1, report.JobsDeleted); // the same pass: first the instance, then the job that described it
    }

    [PostgresFact]
    public async Task A_kept_postgres_instance_is_a_database_to_connect_to_without_a_password_in_the_uri()
    {
        var time = new FakeTimeProvider(Start);
        var db = await postgres.Cluster.CreateDatabaseAsync();
        var server = postgres.Cluster.Uri(db).Replace("postgres://postgres@", "postgres://postgres:not-shown@", StringComparison.Ordinal);
        await using var harness = await ChainHarness.StartAsync(new ChainsOptions { Postgres = server }, time);
        var tree = SampleProjects.With(SampleProjects.Shop(), "init/00_marker.sql", $"create table marker_{Guid.NewGuid():N} (x int);");
        var created = await harness.Jobs.CreateAsync(Request("postgres", keep: true, snapshotTtl: 300, tree: tree), CancellationToken.None);
        var job = await harness.WaitForEndAsync(created.Id);

        Assert.Equal("completed", job.Status);
        Assert.Equal($"pkj_{job.Id}", job.Instance!.Name);
        Assert.DoesNotContain("not-shown", job.Instance.Connect);
        Assert.Contains($"/pkj_{job.Id}", job.Instance.Connect);
        Assert.DoesNotContain(await harness.Jobs.LogsAsync(job.Id, 0, 100, CancellationToken.None), l => l.Line.Contains("not-shown"));

        var connection = new NpgsqlConnectionStringBuilder(postgres.Cluster.ConnectionString($"pkj_{job.Id}"));
        await using (var open = new NpgsqlConnection(connection.ConnectionString))
        {
            await open.OpenAsync();
            await using var command = new NpgsqlCommand("select count(*) from item", open);
            Assert.Equal(2L, await command.ExecuteScalarAsync());
        }

        time.Advance(TimeSpan.FromSeconds(301));
        var report = await harness.Get<LayerCollector>().CollectAsync(CancellationToken.None);
        Assert.Equal(1, report.InstancesDropped);
        await using var admin = new NpgsqlConnection(postgres.Cluster.AdminConnectionString);
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("select count(*) from pg_database where datname = @n", admin);
        exists.Parameters.AddWithValue("n", $"pkj_{job.Id}");
        Assert.Equal(0L, await exists.ExecuteScalarAsync());
    }
}
