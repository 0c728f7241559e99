using Pipekit.Core.Drivers;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Core.Transfer;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Transfer;

/// <summary>
/// The edge values of <see cref="EdgeValues"/> between MariaDB and each of PostgreSQL, DuckDB and SQLite, both
/// directions, and MariaDB to itself: uuid (as CHAR(36)), DECIMAL(38,10) at its limits, instants across DST changes
/// (DATETIME(6) holds them as UTC), TIME(6) with microseconds, JSON and LONGTEXT of 1.2 million characters.
/// MariaDB has no interval or array type, so those categories are not among its pairs.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class MariaDbEdgeFidelityFacts(PostgresFixture postgres, MariaDbFixture mariadb) : IClassFixture<MariaDbFixture>, IDisposable
{
    private static readonly string[] Others = ["postgres", "duckdb", "sqlite", "mysql"];

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string, string> Pairs()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var other in Others)
            foreach (var (from, to) in other == "mysql" ? new[] { ("mysql", "mysql") } : [("mysql", other), (other, "mysql")])
                foreach (var category in EdgeValues.Shared(from, to).Where(c => !EdgeFidelityFacts.KnownGaps.ContainsKey((from, to, c))))
                    data.Add(from, to, category);
        return data;
    }

    [MariaDbTheory]
    [MemberData(nameof(Pairs))]
    public async Task Edge_values_survive_the_transfer(string from, string to, string category)
    {
        var dbs = new TestDatabases(postgres, _dir, mariadb);
        var source = await dbs.CreateAsync(from);
        var destination = await dbs.CreateAsync(to);
        await dbs.ExecuteAsync(source, EdgeValues.Create(from, category), EdgeValues.Insert(from, category));
        await dbs.ExecuteAsync(destination, EdgeValues.Create(to, category));

        await EdgeFidelityFacts.Transfer(dbs, source, destination);

        EdgeValues.AssertRows(category, await dbs.QueryAsync(destination, EdgeValues.ReadBack(to, category)), $"{from} → {to}, {category}");
    }

    [MariaDbFact]
    public async Task Zoned_text_becomes_its_utc_wall_clock_in_a_datetime_column_and_stays_as_written_in_a_text_column()
    {
        var dbs = new TestDatabases(postgres, _dir, mariadb);
        var source = await dbs.CreateAsync("sqlite");
        var destination = await dbs.CreateAsync("mysql");
        await dbs.ExecuteAsync(source, "CREATE TABLE edge (id INTEGER, at TEXT, note TEXT)",
            "INSERT INTO edge VALUES (1, '2024-03-31 01:30:00.000001+01:00', '2024-03-31 01:30:00+01:00'), (2, '2024-06-01 12:00:00', 'plain')");
        await dbs.ExecuteAsync(destination, "CREATE TABLE edge (id INT, at DATETIME(6), note TEXT)");

        await new TransferEngine(dbs.Drivers, TimeProvider.System).TransferAsync(
            new TransferRequest(source, "SELECT id, at, note FROM edge", destination, new TableName("edge")), null, CancellationToken.None);

        var rows = await dbs.QueryAsync(destination, "SELECT id, DATE_FORMAT(at, '%Y-%m-%d %H:%i:%s.%f'), note FROM edge ORDER BY id");
        Assert.Equal("2024-03-31 00:30:00.000001", rows[0][1]);
        Assert.Equal("2024-03-31 01:30:00+01:00", rows[0][2]);
        // Text without a zone is a wall clock already and is written as it is.
        Assert.Equal("2024-06-01 12:00:00.000000", rows[1][1]);
    }
}
