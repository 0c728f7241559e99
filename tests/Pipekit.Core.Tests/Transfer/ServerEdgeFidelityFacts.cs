using Pipekit.Core.Drivers;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Core.Transfer;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Transfer;

/// <summary>
/// The edge values between PostgreSQL and the servers that cannot run here, both directions: SQL Server (set
/// PIPEKIT_TEST_MSSQL) and MySQL proper (set PIPEKIT_TEST_MYSQL; MariaDB covers the mysql driver in
/// <see cref="MariaDbEdgeFidelityFacts"/>). Without a server each test is skipped with that reason; their mapping
/// tables are checked as text by TypeMappingDocFacts.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ServerEdgeFidelityFacts(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [MssqlFact]
    public Task Edge_values_survive_postgres_to_sql_server_and_back() =>
        BothWaysAsync("sqlserver", new ResolvedConnection("mssql", "sqlserver", MssqlFactAttribute.Uri!, null, null, null));

    [MysqlFact]
    public Task Edge_values_survive_postgres_to_mysql_and_back() =>
        BothWaysAsync("mysql", new ResolvedConnection("mysql", "mysql", MysqlFactAttribute.Uri!, null, null, null));

    private async Task BothWaysAsync(string kind, ResolvedConnection server)
    {
        var dbs = new TestDatabases(postgres, _dir);
        foreach (var category in EdgeValues.Shared("postgres", kind))
        {
            var source = await dbs.CreateAsync("postgres");
            await dbs.ExecuteAsync(source, EdgeValues.Create("postgres", category), EdgeValues.Insert("postgres", category));
            await dbs.ExecuteAsync(server, "DROP TABLE IF EXISTS edge", EdgeValues.Create(kind, category));
            await Transfer(dbs, source, server);
            EdgeValues.AssertRows(category, await dbs.QueryAsync(server, EdgeValues.ReadBack(kind, category)), $"postgres → {kind}, {category}");

            var back = await dbs.CreateAsync("postgres");
            await dbs.ExecuteAsync(back, EdgeValues.Create("postgres", category));
            await Transfer(dbs, server, back);
            EdgeValues.AssertRows(category, await dbs.QueryAsync(back, EdgeValues.ReadBack("postgres", category)), $"{kind} → postgres, {category}");
        }
        await dbs.ExecuteAsync(server, "DROP TABLE IF EXISTS edge");
    }

    private static Task<TransferResult> Transfer(TestDatabases dbs, ResolvedConnection source, ResolvedConnection destination) =>
        EdgeFidelityFacts.Transfer(dbs, source, destination);
}
