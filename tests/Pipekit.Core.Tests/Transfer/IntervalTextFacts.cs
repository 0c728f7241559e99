using Pipekit.Core.Drivers;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Core.Transfer;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Transfer;

/// <summary>
/// Engines without an interval type (SQLite, MariaDB) hold a PostgreSQL or DuckDB interval as the text of its three
/// parts, which PostgreSQL and DuckDB read back as the same interval; a MariaDB TIME goes into an interval as a
/// day-time interval.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class IntervalTextFacts(PostgresFixture postgres, MariaDbFixture mariadb) : IClassFixture<MariaDbFixture>, IDisposable
{
    private const string Intervals =
        "(1, INTERVAL '1 year 2 months -3 days 04:05:06.789012'), (2, INTERVAL '-1 year -2 months 3 days -04:05:06.000001'), (3, NULL)";

    private static readonly string?[] Texts =
        ["14 months -3 days 14706789012 microseconds", "-14 months 3 days -14706000001 microseconds", null];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string> Routes() => new()
    {
        { "postgres", "sqlite" }, { "duckdb", "sqlite" }, { "postgres", "mysql" }, { "duckdb", "mysql" },
    };

    [MariaDbTheory]
    [MemberData(nameof(Routes))]
    public async Task An_interval_becomes_its_parts_text_where_the_engine_has_no_interval_type_and_reads_back_exactly(string from, string through)
    {
        var dbs = new TestDatabases(postgres, _dir, mariadb);
        var source = await dbs.CreateAsync(from);
        var middle = await dbs.CreateAsync(through);
        var back = await dbs.CreateAsync(from);
        var interval = from == "postgres" ? "interval" : "INTERVAL";
        await dbs.ExecuteAsync(source, $"CREATE TABLE edge (id integer, v {interval})", "INSERT INTO edge VALUES " + Intervals);
        // The type the mapping tables give an interval on that engine.
        var text = dbs.Drivers.Get(through).GetDialect(null).RenderType(new PortableType(PortableKind.Interval));
        await dbs.ExecuteAsync(middle, $"CREATE TABLE edge (id integer, v {text})");
        await dbs.ExecuteAsync(back, $"CREATE TABLE edge (id integer, v {interval})");

        await EdgeFidelityFacts.Transfer(dbs, source, middle);
        await EdgeFidelityFacts.Transfer(dbs, middle, back);

        Assert.Equal(Texts, (await dbs.QueryAsync(middle, "SELECT id, v FROM edge ORDER BY id")).Select(r => (string?)r[1]));
        var originals = await dbs.QueryAsync(source, "SELECT id, CAST(v AS VARCHAR) FROM edge ORDER BY id");
        var copies = await dbs.QueryAsync(back, "SELECT id, CAST(v AS VARCHAR) FROM edge ORDER BY id");
        Assert.Equal(originals.Select(r => r[1]), copies.Select(r => r[1]));
        Assert.Equal(3, copies.Count);
    }

    [MariaDbFact]
    public async Task A_mariadb_time_goes_into_an_interval_as_days_and_microseconds()
    {
        var dbs = new TestDatabases(postgres, _dir, mariadb);
        var source = await dbs.CreateAsync("mysql");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INT, v TIME(6))", "INSERT INTO edge VALUES (1, '-838:59:59.999999'), (2, '26:00:00.000001')");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id integer, v interval)");

        await EdgeFidelityFacts.Transfer(dbs, source, destination);

        var rows = await dbs.QueryAsync(destination, "SELECT id, v::text FROM edge ORDER BY id");
        Assert.Equal(["-34 days -22:59:59.999999", "1 day 02:00:00.000001"], rows.Select(r => (string?)r[1]));
    }
}
