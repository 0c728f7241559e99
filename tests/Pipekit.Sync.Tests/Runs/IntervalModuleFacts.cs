using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Watermarks;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// A module with an interval column between PostgreSQL and DuckDB: months, days and microseconds, mixed signs and
/// NULL arrive exactly through a full run, and through an incremental run's staging and merge.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IntervalModuleFacts(PostgresFixture postgres)
{
    public static TheoryData<Engine, Engine> Routes => new()
    {
        { Engine.Postgres, Engine.DuckDb },
        { Engine.DuckDb, Engine.Postgres },
        { Engine.DuckDb, Engine.DuckDb },
    };

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task A_full_run_carries_intervals_with_months_exactly(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await CreateAsync(h, from, to);
        var module = await h.SaveModuleAsync(Module(source, dest, to, MergeStrategy.Full));

        RunAssert.Succeeded(await h.RunAsync(module), 3);
        Assert.Equal(["1|14|-3|14706789012", "2|-1|0|-1", "3|NULL|NULL|NULL"], await ReadAsync(h, dest, to));

        await h.ExecuteAsync(source, "UPDATE spans SET v = INTERVAL '-1 year -2 months 3 days -04:05:06.000001', version = 2 WHERE id = 2");
        RunAssert.Succeeded(await h.RunAsync(module), 3);
        Assert.Equal(["1|14|-3|14706789012", "2|-14|3|-14706000001", "3|NULL|NULL|NULL"], await ReadAsync(h, dest, to));
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task An_incremental_run_merges_intervals_with_months_exactly(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await CreateAsync(h, from, to);
        var module = await h.SaveModuleAsync(Module(source, dest, to, MergeStrategy.Incremental, " WHERE version > {version}") with
        {
            MergeKey = "id",
            Watermarks = [new Watermark { Name = "version", ConnectionId = dest.Id, ResolverSql = "SELECT max(version) FROM spans_copy", DefaultValue = "0" }],
        });
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(source,
            "UPDATE spans SET v = INTERVAL '-100 years -11 months 29 days 838:59:59.999999', version = 2 WHERE id = 1",
            "INSERT INTO spans VALUES (4, INTERVAL '0 seconds', 2), (5, NULL, 2)");
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        Assert.Equal(["1|-1211|29|3020399999999", "2|-1|0|-1", "3|NULL|NULL|NULL", "4|0|0|0", "5|NULL|NULL|NULL"], await ReadAsync(h, dest, to));
    }

    private async Task<(ConnectionRecord Source, ConnectionRecord Dest)> CreateAsync(SyncHarness h, Engine from, Engine to)
    {
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await h.ExecuteAsync(source,
            "CREATE TABLE spans (id integer, v interval, version integer)",
            "INSERT INTO spans VALUES (1, INTERVAL '1 year 2 months -3 days 04:05:06.789012', 1), (2, INTERVAL '-1 month -00:00:00.000001', 1), (3, NULL, 1)");
        return (source, dest);
    }

    private static Module Module(ConnectionRecord source, ConnectionRecord dest, Engine to, MergeStrategy strategy, string where = "") => new()
    {
        Name = "spans_sync",
        SourceConnectionId = source.Id,
        DestConnectionId = dest.Id,
        DestTable = "spans_copy",
        SourceQuery = "SELECT id, v, version FROM spans" + where,
        MergeStrategy = strategy,
        // The destination is created by the first run, from these types.
        Columns =
        [
            new("id", "integer", "id", "integer"),
            new("v", "interval", "v", to == Engine.DuckDb ? "INTERVAL" : "interval"),
            new("version", "integer", "version", "integer"),
        ],
    };

    /// <summary>Each row as id|months|days|microseconds, read with each engine's own functions.</summary>
    private static Task<IReadOnlyList<string>> ReadAsync(SyncHarness h, ConnectionRecord dest, Engine to) => h.QueryAsync(dest, to == Engine.DuckDb
        ? "SELECT id, datepart('year', v) * 12 + datepart('month', v), datepart('day', v), " +
          "datepart('hour', v) * 3600000000 + datepart('minute', v) * 60000000 + datepart('microseconds', v) FROM spans_copy ORDER BY id"
        : "SELECT id, (extract(year from v) * 12 + extract(month from v))::int8, extract(day from v)::int8, " +
          "(extract(hour from v) * 3600000000 + extract(minute from v) * 60000000 + extract(microseconds from v))::int8 FROM spans_copy ORDER BY id");
}
