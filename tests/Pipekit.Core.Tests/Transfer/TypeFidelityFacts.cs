using Pipekit.Core.Drivers;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Core.Transfer;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Transfer;

[Collection(PostgresCollection.Name)]
public sealed class TypeFidelityFacts(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PostgresTheory]
    [InlineData("postgres", "postgres")]
    [InlineData("postgres", "duckdb")]
    [InlineData("duckdb", "postgres")]
    [InlineData("sqlite", "duckdb")]
    [InlineData("sqlite", "postgres")]
    [InlineData("postgres", "sqlite")]
    [InlineData("duckdb", "sqlite")]
    [InlineData("duckdb", "duckdb")]
    [InlineData("sqlite", "sqlite")]
    public async Task Every_value_survives_the_transfer(string from, string to)
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync(from);
        var destination = await dbs.CreateAsync(to);
        await dbs.ExecuteAsync(source, FidelityTable.Create(from), FidelityTable.Insert(from));
        await dbs.ExecuteAsync(destination, FidelityTable.Create(to));

        var result = await new TransferEngine(dbs.Drivers, TimeProvider.System).TransferAsync(
            new TransferRequest(source, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id", destination, new TableName("fidelity")),
            null, CancellationToken.None);

        Assert.Equal(3, result.Rows);
        FidelityTable.AssertRows(await dbs.QueryAsync(destination, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id"));
    }

    [PostgresFact]
    public async Task Postgres_to_postgres_with_equal_types_streams_raw_copy_bytes()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("postgres");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source, FidelityTable.Create("postgres"), FidelityTable.Insert("postgres"));
        await dbs.ExecuteAsync(destination, FidelityTable.Create("postgres"));
        var logger = new ListLogger<TransferEngine>();

        await new TransferEngine(dbs.Drivers, TimeProvider.System, logger).TransferAsync(
            new TransferRequest(source, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id;", destination, new TableName("fidelity")),
            null, CancellationToken.None);

        Assert.Contains("Used the raw copy path", logger.Messages);
        FidelityTable.AssertRows(await dbs.QueryAsync(destination, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id"));
    }

    [PostgresFact]
    public async Task Postgres_to_postgres_with_different_column_types_takes_the_typed_path_and_keeps_every_value()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("postgres");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source, FidelityTable.Create("postgres"), FidelityTable.Insert("postgres"));
        // bigint id and varchar text differ from the source's integer and text, so raw COPY bytes would not fit.
        await dbs.ExecuteAsync(destination,
            "CREATE TABLE fidelity (id bigint, amount numeric(15,4), ts timestamp, tstz timestamptz, d date, flag boolean, u uuid, bin bytea, txt varchar(40), empty varchar)");

        var logger = new ListLogger<TransferEngine>();
        var result = await new TransferEngine(dbs.Drivers, TimeProvider.System, logger).TransferAsync(
            new TransferRequest(source, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id", destination, new TableName("fidelity")),
            null, CancellationToken.None);

        Assert.Equal(3, result.Rows);
        Assert.Contains("No raw copy for this pair or these column types; using the typed bulk writer", logger.Messages);
        FidelityTable.AssertRows(await dbs.QueryAsync(destination, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id"));
    }

    [PostgresFact]
    public async Task Text_sources_convert_into_typed_postgres_columns()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("sqlite");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source,
            "CREATE TABLE t (flag TEXT, u TEXT, n TEXT, ts TEXT, js TEXT)",
            "INSERT INTO t VALUES ('t', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '123456789012345678.123456', '2024-01-02T03:04:05Z', '{\"a\": [1, 2]}')");
        await dbs.ExecuteAsync(destination, "CREATE TABLE t (flag boolean, u uuid, n numeric(24,6), ts timestamptz, js jsonb)");

        await new TransferEngine(dbs.Drivers, TimeProvider.System).TransferAsync(
            new TransferRequest(source, "SELECT flag, u, n, ts, js FROM t", destination, new TableName("t")), null, CancellationToken.None);

        var row = Assert.Single(await dbs.QueryAsync(destination, "SELECT flag, u::text, n::text, ts AT TIME ZONE 'UTC', js::text FROM t"));
        Assert.Equal([true, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", "123456789012345678.123456", new DateTime(2024, 1, 2, 3, 4, 5), "{\"a\": [1, 2]}"], row);
    }

    [PostgresFact]
    public async Task Duckdb_huge_and_unsigned_integers_reach_postgres_exactly()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("duckdb");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source,
            "CREATE TABLE t (h HUGEINT, ub UBIGINT, ut UTINYINT, f FLOAT)",
            "INSERT INTO t VALUES (170141183460469231731687303715884105727, 18446744073709551615, 255, 1.5)");
        await dbs.ExecuteAsync(destination, "CREATE TABLE t (h numeric(39,0), ub numeric(20,0), ut smallint, f real)");

        await new TransferEngine(dbs.Drivers, TimeProvider.System).TransferAsync(
            new TransferRequest(source, "SELECT h, ub, ut, f FROM t", destination, new TableName("t")), null, CancellationToken.None);

        var row = Assert.Single(await dbs.QueryAsync(destination, "SELECT h::text, ub::text, ut, f FROM t"));
        Assert.Equal(["170141183460469231731687303715884105727", "18446744073709551615", (short)255, 1.5f], row);
    }
}
