using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Verification;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Verification;

/// <summary>
/// verify --columns with a Parquet lake on one side and intervals with months in it: the lake is read through DuckDB,
/// which spells an interval as its parts' text as PostgreSQL does, whether the lake is the destination or the source.
/// A Parquet INTERVAL holds months, days and milliseconds, none negative: a run refuses an interval with a negative part
/// or microseconds below a millisecond (DuckDB dropped those without a word), and one declared text keeps it exactly.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ParquetIntervalVerifyFacts(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task Verify_with_columns_matches_intervals_with_months_written_into_a_parquet_lake()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, lake) = await ConnectionsAsync(h);
        var module = await IntoLakeAsync(h, source, lake);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, ModuleVerifier.Summary(result));
        Assert.Equal((4L, 4L), (result.SourceRows, result.DestRows));
    }

    [PostgresFact]
    public async Task Verify_with_columns_reports_an_interval_that_changed_since_the_lake_was_written()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, lake) = await ConnectionsAsync(h);
        var module = await IntoLakeAsync(h, source, lake);

        await h.ExecuteAsync(source, "UPDATE spans SET v = v + INTERVAL '1 month' WHERE id = 1");
        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.False(result.Match);
        Assert.Equal((1L, 1L), (result.Missing!.Value, result.Extra!.Value));
        Assert.Equal(["1|15 months 3 days 14706789000 microseconds"], result.MissingSample);
        Assert.Equal(["1|14 months 3 days 14706789000 microseconds"], result.ExtraSample);
    }

    [PostgresFact]
    public async Task Verify_with_columns_matches_intervals_read_from_a_parquet_lake_into_postgres()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, lake) = await ConnectionsAsync(h);
        await IntoLakeAsync(h, source, lake);
        var back = await h.AddPostgresAsync("back", postgres);
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "spans_back",
            SourceConnectionId = lake.Id,
            DestConnectionId = back.Id,
            DestTable = "spans_back",
            SourceQuery = "SELECT id, v FROM spans_lake",
            MergeStrategy = MergeStrategy.Full,
            Columns = [new("id", "INTEGER", "id", "integer"), new("v", "INTERVAL", "v", "interval")],
        });
        RunAssert.Succeeded(await h.RunAsync(module), 4);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, ModuleVerifier.Summary(result));
        Assert.Equal((4L, 4L), (result.SourceRows, result.DestRows));
    }

    [PostgresTheory]
    [InlineData("1 year 2 months 3 days 04:05:06.789012", "14 months 3 days 14706789012 microseconds")]
    [InlineData("1 month -3 days", "1 months -3 days 0 microseconds")]
    public async Task A_run_refuses_an_interval_a_parquet_file_cannot_hold_and_one_declared_text_keeps_it(string interval, string parts)
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, lake) = await ConnectionsAsync(h);
        await h.ExecuteAsync(source, $"INSERT INTO spans VALUES (5, INTERVAL '{interval}')");
        var module = await h.SaveModuleAsync(Into(source, lake, "INTERVAL"));

        var refused = await h.RunAsync(module);
        var kept = await h.SaveModuleAsync(Into(source, lake, "VARCHAR") with { Id = module.Id });
        var run = await h.RunAsync(kept);

        RunAssert.Ended(RunStatus.Error, refused);
        Assert.Contains($"column \"v\": a Parquet INTERVAL holds months, days and whole milliseconds, none negative, so '{parts}' cannot be written", refused.Error,
            StringComparison.Ordinal);
        RunAssert.Succeeded(run, 5);
        Assert.True((await h.Get<ModuleVerifier>().VerifyAsync(kept.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default)).Match);
    }

    private async Task<(ConnectionRecord Source, ConnectionRecord Lake)> ConnectionsAsync(SyncHarness h)
    {
        var source = await h.AddPostgresAsync("src", postgres);
        var directory = h.File("lake");
        Directory.CreateDirectory(directory);
        var lake = await h.AddConnectionAsync("lake", "parquet://" + directory);
        await h.ExecuteAsync(source,
            "CREATE TABLE spans (id integer, v interval)",
            "INSERT INTO spans VALUES (1, INTERVAL '1 year 2 months 3 days 04:05:06.789'), (2, INTERVAL '1 month'), " +
            "(3, NULL), (4, INTERVAL '25 hours')");
        return (source, lake);
    }

    private static async Task<Module> IntoLakeAsync(SyncHarness h, ConnectionRecord source, ConnectionRecord lake)
    {
        var module = await h.SaveModuleAsync(Into(source, lake, "INTERVAL"));
        RunAssert.Succeeded(await h.RunAsync(module), 4);
        return module;
    }

    private static Module Into(ConnectionRecord source, ConnectionRecord lake, string type) => new()
    {
        Name = "spans_lake",
        SourceConnectionId = source.Id,
        DestConnectionId = lake.Id,
        DestTable = "spans_lake",
        SourceQuery = "SELECT id, v FROM spans",
        MergeStrategy = MergeStrategy.Full,
        Columns = [new("id", "integer", "id", "INTEGER"), new("v", "interval", "v", type)],
    };
}
