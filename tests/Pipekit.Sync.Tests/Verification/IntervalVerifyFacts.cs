using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Verification;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Verification;

/// <summary>
/// verify --columns over a module with an interval column holding months, between PostgreSQL and DuckDB: both engines
/// spell an interval as its parts' text, so equal values hash alike (NULL too) and one changed value is drift. SQLite,
/// holding that text, agrees with them.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IntervalVerifyFacts(PostgresFixture postgres)
{
    public static TheoryData<Engine, Engine> Routes => new()
    {
        { Engine.Postgres, Engine.DuckDb },
        { Engine.DuckDb, Engine.Postgres },
    };

    /// <summary>SQLite has no interval type and holds the parts' text, which is what the interval engines hash.</summary>
    public static TheoryData<Engine, Engine> MatchRoutes => new()
    {
        { Engine.Postgres, Engine.DuckDb },
        { Engine.DuckDb, Engine.Postgres },
        { Engine.Postgres, Engine.Sqlite },
        { Engine.DuckDb, Engine.Sqlite },
    };

    [PostgresTheory]
    [MemberData(nameof(MatchRoutes))]
    public async Task Verify_with_columns_matches_intervals_with_months_across_engines(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, _) = await CreateAsync(h, from, to);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, ModuleVerifier.Summary(result));
        Assert.Equal(("columns", 4L, 4L), (result.Compared, result.SourceRows, result.DestRows));
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Verify_with_columns_reports_an_interval_changed_behind_the_engines_back(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, dest) = await CreateAsync(h, from, to);

        // One month more on one row: the same length in days for no engine, so only the parts can tell.
        await h.ExecuteAsync(dest, "UPDATE spans_copy SET v = v + INTERVAL '1 month' WHERE id = 1");
        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.False(result.Match);
        Assert.Equal((4L, 4L, 1L, 1L), (result.SourceRows, result.DestRows, result.Missing!.Value, result.Extra!.Value));
        Assert.Equal(["1|14 months -3 days 14706789012 microseconds"], result.MissingSample);
        Assert.Equal(["1|15 months -3 days 14706789012 microseconds"], result.ExtraSample);
    }

    private async Task<(Module Module, ConnectionRecord Dest)> CreateAsync(SyncHarness h, Engine from, Engine to)
    {
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await h.ExecuteAsync(source,
            "CREATE TABLE spans (id integer, v interval)",
            "INSERT INTO spans VALUES (1, INTERVAL '1 year 2 months -3 days 04:05:06.789012'), (2, INTERVAL '-1 month -00:00:00.000001'), " +
            "(3, NULL), (4, INTERVAL '25 hours')");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "spans_sync",
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = "spans_copy",
            SourceQuery = "SELECT id, v FROM spans",
            MergeStrategy = MergeStrategy.Full,
            Columns = [new("id", "integer", "id", "integer"), new("v", "interval", "v", to switch { Engine.DuckDb => "INTERVAL", Engine.Sqlite => "TEXT", _ => "interval" })],
        });
        RunAssert.Succeeded(await h.RunAsync(module), 4);
        return (module, dest);
    }
}
