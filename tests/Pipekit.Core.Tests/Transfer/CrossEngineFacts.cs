using Pipekit.Core.Drivers;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Core.Transfer;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Transfer;

/// <summary>
/// The cross-engine pairs that need a MariaDB server or an ODBC driver: every fidelity value must survive
/// PG→MariaDB, MariaDB→PG and ODBC(PostgreSQL)→PG.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class CrossEngineFacts(PostgresFixture postgres, MariaDbFixture mariadb) : IClassFixture<MariaDbFixture>, IDisposable
{
    private const string PsqlOdbc = "/usr/lib/x86_64-linux-gnu/odbc/psqlodbcw.so";
    private const string MariaDbTable =
        "CREATE TABLE fidelity (id INT, amount DECIMAL(15,4), ts DATETIME(6), tstz DATETIME(6), d DATE, flag TINYINT(1), u CHAR(36), bin LONGBLOB, txt LONGTEXT, empty TEXT) CHARACTER SET utf8mb4";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private TestDatabases Databases => new(postgres, _dir);

    private async Task<ResolvedConnection> MariaDbAsync() =>
        new("maria", "mysql", await mariadb.NewDatabaseUriAsync(), null, null, null);

    private static async Task<TransferResult> TransferAsync(TestDatabases dbs, ResolvedConnection from, ResolvedConnection to) =>
        await new TransferEngine(dbs.Drivers, TimeProvider.System).TransferAsync(
            new TransferRequest(from, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id", to, new TableName("fidelity")),
            null, CancellationToken.None);

    [MariaDbFact]
    public async Task Postgres_to_mariadb_keeps_every_value()
    {
        var dbs = Databases;
        var source = await dbs.CreateAsync("postgres");
        var destination = await MariaDbAsync();
        await dbs.ExecuteAsync(source, FidelityTable.Create("postgres"), FidelityTable.Insert("postgres"));
        await dbs.ExecuteAsync(destination, MariaDbTable);

        Assert.Equal(3, (await TransferAsync(dbs, source, destination)).Rows);
        FidelityTable.AssertRows(await dbs.QueryAsync(destination, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id"));
    }

    [MariaDbFact]
    public async Task Mariadb_to_postgres_keeps_every_value()
    {
        var dbs = Databases;
        var staging = await dbs.CreateAsync("postgres");
        var source = await MariaDbAsync();
        var destination = await dbs.CreateAsync("postgres");
        // The MariaDB source is loaded from PostgreSQL first, so both ends hold the same reference rows.
        await dbs.ExecuteAsync(staging, FidelityTable.Create("postgres"), FidelityTable.Insert("postgres"));
        await dbs.ExecuteAsync(source, MariaDbTable);
        await TransferAsync(dbs, staging, source);
        await dbs.ExecuteAsync(destination, FidelityTable.Create("postgres"));

        Assert.Equal(3, (await TransferAsync(dbs, source, destination)).Rows);
        FidelityTable.AssertRows(await dbs.QueryAsync(destination, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id"));
    }

    [PostgresFact]
    public async Task Odbc_postgres_to_postgres_keeps_every_value()
    {
        Assert.True(File.Exists(PsqlOdbc), $"{PsqlOdbc} missing: apt-get install odbc-postgresql");
        var dbs = Databases;
        var native = await dbs.CreateAsync("postgres");
        var database = new Uri(native.Url.Replace("postgres://", "http://", StringComparison.Ordinal)).AbsolutePath.Trim('/');
        var source = new ResolvedConnection("odbcpg", "odbc",
            $"odbc:Driver={PsqlOdbc};Server=127.0.0.1;Port={postgres.Cluster.Port};Database={database};BoolsAsChar=0",
            "postgres", null, "postgres");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(native, FidelityTable.Create("postgres"), FidelityTable.Insert("postgres"));
        await dbs.ExecuteAsync(destination, FidelityTable.Create("postgres"));

        Assert.Equal(3, (await TransferAsync(dbs, source, destination)).Rows);
        FidelityTable.AssertRows(await dbs.QueryAsync(destination, $"SELECT {FidelityTable.Columns} FROM fidelity ORDER BY id"));
    }
}
