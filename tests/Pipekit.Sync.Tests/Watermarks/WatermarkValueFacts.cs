using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Watermarks;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Watermarks;

/// <summary>
/// What a resolver's first cell becomes: the default for NULL or no rows, invariant-culture numbers, ISO 8601 dates
/// and timestamps, and text exactly as returned (the resolver SQL decides the quoting).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WatermarkValueFacts(PostgresFixture postgres)
{
    public static TheoryData<object?, string?> Rendered => new()
    {
        { null, null },
        { DBNull.Value, null },
        { "O'Brien", "O'Brien" },
        { 1234.50m, "1234.50" },
        { 0.5d, "0.5" },
        { 2.25f, "2.25" },
        { -12L, "-12" },
        { 1234567, "1234567" },
        { true, "true" },
        { new DateTime(2026, 3, 4), "2026-03-04" },
        { new DateTime(2026, 3, 4, 5, 6, 7).AddMilliseconds(250), "2026-03-04T05:06:07.25" },
        { new DateTime(2026, 3, 4, 5, 6, 7, DateTimeKind.Utc), "2026-03-04T05:06:07Z" },
        { new DateTimeOffset(2026, 3, 4, 5, 6, 7, TimeSpan.FromHours(2)), "2026-03-04T05:06:07+02:00" },
        { new DateOnly(2026, 3, 4), "2026-03-04" },
        { new TimeOnly(5, 6, 7), "05:06:07" },
        { new byte[] { 0xDE, 0xAD }, "DEAD" },
    };

    [Theory]
    [MemberData(nameof(Rendered))]
    public void A_resolver_value_renders_in_invariant_culture_and_iso_8601(object? value, string? expected) =>
        Assert.Equal(expected, WatermarkResolver.Render(value));

    [Theory]
    [InlineData("SELECT max(v) FROM t", "42")]
    [InlineData("SELECT v FROM t WHERE 0 = 1", "42")]
    [InlineData("SELECT 7", "7")]
    public async Task The_default_value_stands_in_when_the_resolver_returns_null_or_no_rows(string resolverSql, string expected)
    {
        await using var h = await SyncHarness.StartAsync();
        var db = await h.AddSqliteAsync("db");
        await h.ExecuteAsync(db, "CREATE TABLE t (v integer)");
        var module = await h.SaveModuleAsync(Probe(db, db, resolverSql, "42"));

        var entry = await h.RunLogAsync(await h.RunAsync(module, dryRun: true));

        Assert.Equal(RunStatus.DryRun, entry.Status);
        Assert.Equal($$"""{"w":"{{expected}}"}""", entry.WatermarkValuesJson);
        Assert.Equal($"SELECT v FROM t WHERE v > {expected}", entry.ResolvedSourceSql);
    }

    [Fact]
    public async Task A_null_watermark_without_a_default_fails_the_run_naming_the_watermark()
    {
        await using var h = await SyncHarness.StartAsync();
        var db = await h.AddSqliteAsync("db");
        await h.ExecuteAsync(db, "CREATE TABLE t (v integer)");
        var module = await h.SaveModuleAsync(Probe(db, db, "SELECT max(v) FROM t", null));

        var entry = await h.RunLogAsync(await h.RunAsync(module, dryRun: true));

        Assert.Equal(RunStatus.Error, entry.Status);
        Assert.Equal("watermark 'w' resolved to NULL (or no rows) and has no default value; give it a default", entry.Error);
    }

    public static TheoryData<Engine, string, string> EngineValues => new()
    {
        { Engine.Postgres, "SELECT 1234.50::numeric", "1234.50" },
        { Engine.Postgres, "SELECT 0.5::float8", "0.5" },
        { Engine.Postgres, "SELECT DATE '2026-03-04'", "2026-03-04" },
        { Engine.Postgres, "SELECT TIMESTAMP '2026-03-04 05:06:07.25'", "2026-03-04T05:06:07.25" },
        { Engine.Postgres, "SELECT TIMESTAMPTZ '2026-03-04 05:06:07+02'", "2026-03-04T03:06:07Z" },
        { Engine.Postgres, "SELECT true", "true" },
        { Engine.Postgres, "SELECT quote_literal('2610')", "'2610'" },
        { Engine.DuckDb, "SELECT 1234.50::DECIMAL(10,2)", "1234.50" },
        { Engine.DuckDb, "SELECT DATE '2026-03-04'", "2026-03-04" },
        { Engine.DuckDb, "SELECT TIMESTAMP '2026-03-04 05:06:07.25'", "2026-03-04T05:06:07.25" },
        { Engine.DuckDb, "SELECT 12345678901234", "12345678901234" },
        { Engine.Sqlite, "SELECT 1234.5", "1234.5" },
        { Engine.Sqlite, "SELECT '2026-03-04 05:06:07'", "2026-03-04 05:06:07" },
    };

    [PostgresTheory]
    [MemberData(nameof(EngineValues))]
    public async Task A_resolver_on_a_real_engine_yields_the_documented_text(Engine engine, string resolverSql, string expected)
    {
        await using var h = await SyncHarness.StartAsync();
        var db = await h.AddSqliteAsync("db");
        var resolverDb = await h.AddAsync(engine, "wm", postgres);
        await h.ExecuteAsync(db, "CREATE TABLE t (v integer)");
        var module = await h.SaveModuleAsync(Probe(db, resolverDb, resolverSql, null));

        var entry = await h.RunLogAsync(await h.RunAsync(module, dryRun: true));

        Assert.Equal(RunStatus.DryRun, entry.Status);
        Assert.Equal($"SELECT v FROM t WHERE v > {expected}", entry.ResolvedSourceSql);
        Assert.Equal($$"""{"w":"{{expected}}"}""", entry.WatermarkValuesJson);
    }

    private static Module Probe(ConnectionRecord db, ConnectionRecord resolverDb, string resolverSql, string? defaultValue) => new()
    {
        Name = "probe",
        SourceConnectionId = db.Id,
        DestConnectionId = db.Id,
        DestTable = "t_copy",
        SourceQuery = "SELECT v FROM t WHERE v > {w}",
        MergeStrategy = MergeStrategy.Append,
        Columns = [new("v", "integer", "v", "integer")],
        Watermarks = [new() { Name = "w", ConnectionId = resolverDb.Id, ResolverSql = resolverSql, DefaultValue = defaultValue }],
    };
}
