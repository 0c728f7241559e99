using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Verification;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Verification;

/// <summary>
/// verify --columns with MariaDB on one side: its DECIMAL(38,10) at the limits is read as exact text (MySqlConnector's
/// System.Decimal would round it), and an interval it holds as its parts' text compares with PostgreSQL's interval.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MariaDbVerifyFacts(PostgresFixture postgres, MariaDbFixture mariadb) : IClassFixture<MariaDbFixture>
{
    [MariaDbFact]
    public async Task Verify_with_columns_matches_decimal_38_10_at_its_limits_from_postgres_into_mariadb()
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, _) = await WideDecimalsAsync(h, mariaSource: false);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, ModuleVerifier.Summary(result));
        Assert.Equal((7L, 7L), (result.SourceRows, result.DestRows));
    }

    [MariaDbFact]
    public async Task Verify_with_columns_matches_decimal_38_10_at_its_limits_from_mariadb_into_duckdb()
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, _) = await WideDecimalsAsync(h, mariaSource: true);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, ModuleVerifier.Summary(result));
        Assert.Equal((7L, 7L), (result.SourceRows, result.DestRows));
    }

    /// <summary>Into DuckDB too: a System.Decimal rounds both values to 10^28 alike, which once hid this change.</summary>
    [MariaDbTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Verify_with_columns_reports_a_change_in_the_last_digit_of_a_decimal_38_10_next_to_mariadb(bool mariaSource)
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, dest) = await WideDecimalsAsync(h, mariaSource);

        await h.ExecuteAsync(dest, "UPDATE amounts_copy SET v = v - 0.0000000001 WHERE id = 1");
        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.False(result.Match);
        Assert.Equal(["1|9999999999999999999999999999.9999999999"], result.MissingSample);
        Assert.Equal(["1|9999999999999999999999999999.9999999998"], result.ExtraSample);
    }

    [MariaDbFact]
    public async Task Verify_with_columns_matches_postgres_intervals_with_months_held_by_mariadb_as_text()
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, _) = await IntervalsAsync(h);

        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.True(result.Match, ModuleVerifier.Summary(result));
        Assert.Equal((4L, 4L), (result.SourceRows, result.DestRows));
    }

    [MariaDbFact]
    public async Task Verify_with_columns_reports_an_interval_changed_in_mariadb()
    {
        await using var h = await SyncHarness.StartAsync();
        var (module, dest) = await IntervalsAsync(h);

        await h.ExecuteAsync(dest, "UPDATE spans_copy SET v = '15 months -3 days 14706789012 microseconds' WHERE id = 1");
        var result = await h.Get<ModuleVerifier>().VerifyAsync(module.Id, new VerifyRequest(VerifyMode.Keys, Columns: true), default);

        Assert.False(result.Match);
        Assert.Equal((1L, 1L), (result.Missing!.Value, result.Extra!.Value));
        Assert.Equal(["1|14 months -3 days 14706789012 microseconds"], result.MissingSample);
        Assert.Equal(["1|15 months -3 days 14706789012 microseconds"], result.ExtraSample);
    }

    private async Task<(Module Module, ConnectionRecord Dest)> WideDecimalsAsync(SyncHarness h, bool mariaSource)
    {
        var maria = await h.AddConnectionAsync("maria", await mariadb.NewDatabaseUriAsync());
        var other = mariaSource ? await h.AddDuckDbAsync("duck") : await h.AddPostgresAsync("pg", postgres);
        var (source, dest) = mariaSource ? (maria, other) : (other, maria);
        await h.ExecuteAsync(source, "CREATE TABLE amounts (id integer, v numeric(38,10))", $"INSERT INTO amounts VALUES {WideDecimalVerifyFacts.Rows}");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "amounts_sync",
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = "amounts_copy",
            SourceQuery = "SELECT id, v FROM amounts",
            MergeStrategy = MergeStrategy.Full,
            Columns = [new("id", "integer", "id", "integer"), new("v", "numeric(38,10)", "v", "decimal(38,10)")],
        });
        RunAssert.Succeeded(await h.RunAsync(module), 7);
        return (module, dest);
    }

    private async Task<(Module Module, ConnectionRecord Dest)> IntervalsAsync(SyncHarness h)
    {
        var source = await h.AddPostgresAsync("pg", postgres);
        var dest = await h.AddConnectionAsync("maria", await mariadb.NewDatabaseUriAsync());
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
            Columns = [new("id", "integer", "id", "integer"), new("v", "interval", "v", "longtext")],
        });
        RunAssert.Succeeded(await h.RunAsync(module), 4);
        return (module, dest);
    }
}
