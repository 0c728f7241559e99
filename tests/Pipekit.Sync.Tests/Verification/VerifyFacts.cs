using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Verification;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Verification;

/// <summary>
/// Verification over real engines: it catches a row lost behind the engine's back and a late-committed row a plain
/// watermark misses, marks such a run "success, drift", and agrees with itself across engines on equal values.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class VerifyFacts(PostgresFixture postgres)
{
    public static TheoryData<Engine, Engine> Routes => new()
    {
        { Engine.Postgres, Engine.Postgres },
        { Engine.Sqlite, Engine.DuckDb },
        { Engine.DuckDb, Engine.Sqlite },
        { Engine.Postgres, Engine.DuckDb },
    };

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Verify_catches_a_destination_row_deleted_behind_the_engines_back(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest));
        RunAssert.Succeeded(await h.RunAsync(module), 3);
        var verifier = h.Get<ModuleVerifier>();
        Assert.True((await verifier.VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default)).Match);

        await h.ExecuteAsync(dest, "DELETE FROM orders_copy WHERE region = 'north' AND order_no = 2");
        var keys = await verifier.VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys), default);
        var counts = await verifier.VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Counts), default);

        Assert.False(keys.Match);
        Assert.Equal((3, 2, 1L, 0L), (keys.SourceRows, keys.DestRows, keys.Missing!.Value, keys.Extra!.Value));
        Assert.Equal(["north|2"], keys.MissingSample);
        Assert.False(counts.Match);
        Assert.Equal((3, 2), (counts.SourceRows, counts.DestRows));
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Verify_with_columns_reports_a_changed_value_as_one_missing_and_one_extra_row(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest));
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(dest, "UPDATE orders_copy SET qty = 11 WHERE region = 'north' AND order_no = 1");
        var verifier = h.Get<ModuleVerifier>();
        var columns = await verifier.VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);
        var north = await verifier.VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Where: "region = 'south'"), default);

        Assert.False(columns.Match);
        Assert.Equal(["north|1|10|a|1"], columns.MissingSample);
        Assert.Equal(["north|1|11|a|1"], columns.ExtraSample);
        Assert.True((await verifier.VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys), default)).Match);
        Assert.True(north.Match);
        Assert.Equal(1, north.SourceRows);
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task A_late_committed_row_that_the_watermark_misses_marks_the_run_success_drift_and_a_lookback_repairs_it(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with { Verify = VerifyMode.Keys });
        RunAssert.Succeeded(await h.RunAsync(module), 3);
        await h.ExecuteAsync(source, "INSERT INTO orders VALUES ('west', 1, 50, 'e', 2)");
        var second = await h.RunAsync(module);
        RunAssert.Succeeded(second, 1);
        Assert.False((await h.RunLogAsync(second)).Drift);

        // A transaction that began before the second run commits after it, with the version the second run already
        // took as its watermark: "version > 2" never sees it.
        await h.ExecuteAsync(source, "INSERT INTO orders VALUES ('east', 1, 5, 'late', 2)");
        var third = await h.RunAsync(module);

        RunAssert.Succeeded(third, 0);
        var log = await h.RunLogAsync(third);
        Assert.True(log.Drift);
        Assert.Contains("\"missing_sample\":[\"east|1\"]", log.VerifyJson);
        Assert.True((await h.RunsOfAsync(module))[0].Drift);

        // The lookback recipe: resolve the watermark a step back; the delete-then-insert merge makes the overlap harmless.
        module = await h.SaveModuleAsync(await h.ReloadAsync(module) with
        {
            Watermarks = [Orders.VersionWatermark(dest) with { ResolverSql = "SELECT max(version) - 1 FROM orders_copy" }],
        });
        var fourth = await h.RunAsync(module);
        RunAssert.Succeeded(fourth, 2);
        Assert.False((await h.RunLogAsync(fourth)).Drift);
        Assert.Equal(5, (await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount)).Count);
    }

    [PostgresTheory]
    [InlineData(Engine.DuckDb)]
    [InlineData(Engine.Postgres)]
    public async Task Equal_values_of_different_types_hash_alike_across_engines(Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await h.ExecuteAsync(source,
            "CREATE TABLE items (id integer, price numeric(10,2), ts timestamp, day date, flag boolean, name text, big bigint)",
            "INSERT INTO items VALUES (1, 10.50, '2026-01-02 03:04:05.123', '2026-01-02', true, 'a', 5000000000), (2, 3, '2026-01-02 00:00:00', '2026-03-04', false, NULL, -1)");
        await h.ExecuteAsync(dest, "CREATE TABLE items_copy (id INTEGER, price DECIMAL(12,3), ts TIMESTAMP, day DATE, flag BOOLEAN, name VARCHAR, big BIGINT)");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "items", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = "items_copy",
            SourceQuery = "SELECT id, price, ts, day, flag, name, big FROM items", MergeStrategy = MergeStrategy.Full, MergeKey = "id",
        });
        RunAssert.Succeeded(await h.RunAsync(module), 2);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, string.Join("; ", result.MissingSample.Concat(result.ExtraSample)));
        Assert.Equal(2, result.DestRows);
    }

    [Fact]
    public async Task Sqlite_text_timestamps_hash_like_the_timestamps_they_became_in_duckdb()
    {
        // SQLite keeps timestamps as text; DuckDB reads them back as TIMESTAMP (midnight included, with fractions, with a zone).
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddDuckDbAsync("dst");
        await h.ExecuteAsync(source,
            "CREATE TABLE events (id integer, ts text, day text, zoned text, label text)",
            "INSERT INTO events VALUES (1, '2025-06-09 00:00:00', '2025-06-09', '2025-06-09T10:00:00+02:00', '2025-06-09 00:00:00'), (2, '2025-06-09 12:30:00.25', '2025-06-10', '2025-06-09 08:00:00Z', 'not a time')");
        await h.ExecuteAsync(dest, "CREATE TABLE events_copy (id INTEGER, ts TIMESTAMP, day DATE, zoned TIMESTAMPTZ, label VARCHAR)");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "events", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = "events_copy",
            SourceQuery = "SELECT id, ts, day, zoned, label FROM events", MergeStrategy = MergeStrategy.Full, MergeKey = "id",
        });
        RunAssert.Succeeded(await h.RunAsync(module), 2);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, string.Join("; ", result.MissingSample.Concat(result.ExtraSample)));
    }
}
