using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Verification;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Verification;

/// <summary>
/// verify --columns over numeric(38,10) at its limits, where System.Decimal cannot hold the value (Npgsql refuses it,
/// DuckDB.NET rounds it): every side reads the column as its exact text, so equal values hash alike whatever scale
/// each engine prints, and a change in the last digit is drift. SQLite holds such a value as the text it was sent.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WideDecimalVerifyFacts(PostgresFixture postgres)
{
    /// <summary>The largest and smallest numeric(38,10), the smallest fractions either side of zero, a value with trailing zeros, zero and NULL.</summary>
    internal const string Rows =
        "(1, '9999999999999999999999999999.9999999999'), (2, '-9999999999999999999999999999.9999999999'), (3, '0.0000000001'), " +
        "(4, '-0.0000000001'), (5, '12.5'), (6, '0'), (7, NULL)";

    public static TheoryData<Engine, Engine> MatchRoutes => new()
    {
        { Engine.Postgres, Engine.DuckDb },
        { Engine.DuckDb, Engine.Postgres },
        { Engine.Postgres, Engine.Sqlite },
        { Engine.DuckDb, Engine.Sqlite },
    };

    public static TheoryData<Engine, Engine> Routes => new()
    {
        { Engine.Postgres, Engine.DuckDb },
        { Engine.DuckDb, Engine.Postgres },
        { Engine.Postgres, Engine.Sqlite },
    };

    [PostgresTheory]
    [MemberData(nameof(MatchRoutes))]
    public async Task Verify_with_columns_matches_numeric_38_10_at_its_limits_across_engines(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, _) = await CreateAsync(h, from, to);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, ModuleVerifier.Summary(result));
        Assert.Equal(("columns", 7L, 7L), (result.Compared, result.SourceRows, result.DestRows));
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Verify_with_columns_reports_a_change_in_the_last_digit_of_a_wide_decimal(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, dest) = await CreateAsync(h, from, to);

        await h.ExecuteAsync(dest, to == Engine.Sqlite
            ? "UPDATE amounts_copy SET v = '9999999999999999999999999999.9999999998' WHERE id = 1"
            : "UPDATE amounts_copy SET v = v - 0.0000000001 WHERE id = 1");
        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.False(result.Match);
        Assert.Equal((7L, 7L, 1L, 1L), (result.SourceRows, result.DestRows, result.Missing!.Value, result.Extra!.Value));
        Assert.Equal(["1|9999999999999999999999999999.9999999999"], result.MissingSample);
        Assert.Equal(["1|9999999999999999999999999999.9999999998"], result.ExtraSample);
    }

    private async Task<(Module Module, ConnectionRecord Dest)> CreateAsync(SyncHarness h, Engine from, Engine to)
    {
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await h.ExecuteAsync(source, "CREATE TABLE amounts (id integer, v numeric(38,10))", $"INSERT INTO amounts VALUES {Rows}");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "amounts_sync",
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = "amounts_copy",
            SourceQuery = "SELECT id, v FROM amounts",
            MergeStrategy = MergeStrategy.Full,
            Columns = [new("id", "integer", "id", "integer"), new("v", "numeric(38,10)", "v", to == Engine.Sqlite ? "TEXT" : "numeric(38,10)")],
        });
        RunAssert.Succeeded(await h.RunAsync(module), 7);
        return (module, dest);
    }
}
