using Pipekit.Core.Drivers;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

[Collection(PostgresCollection.Name)]
public sealed class ConnectionTesterFacts(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PostgresTheory]
    [InlineData("postgres", "PostgreSQL 15.")]
    [InlineData("duckdb", "DuckDB v1.")]
    [InlineData("sqlite", "SQLite 3.")]
    public async Task A_working_connection_reports_the_server_version(string kind, string versionPrefix)
    {
        var dbs = new TestDatabases(postgres, _dir);
        var conn = await dbs.CreateAsync(kind);

        var result = await new ConnectionTester(dbs.Drivers, TimeProvider.System).TestAsync(conn, CancellationToken.None);

        Assert.True(result.Ok, result.Error);
        Assert.StartsWith(versionPrefix, result.ServerVersion);
        Assert.Null(result.Error);
    }

    [Fact]
    public async Task A_refused_connection_fails_with_a_message_that_never_contains_the_password()
    {
        var port = FreePort.Next();
        var conn = new ResolvedConnection("warehouse", "postgres", $"postgres://etl:Sup3r-S3cret@127.0.0.1:{port}/db?connect_timeout=5", null, "Sup3r-S3cret", null);

        var result = await new ConnectionTester(DriverRegistry.CreateDefault(), TimeProvider.System).TestAsync(conn, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains("warehouse", result.Error);
        Assert.DoesNotContain("Sup3r-S3cret", result.Error);
        Assert.Null(result.ServerVersion);
    }

    [Fact]
    public async Task A_bad_option_fails_without_echoing_the_password()
    {
        var conn = new ResolvedConnection("w", "postgres", "Host=127.0.0.1;Password=Sup3r-S3cret;Bogus Option=1", null, "Sup3r-S3cret", null);

        var result = await new ConnectionTester(DriverRegistry.CreateDefault(), TimeProvider.System).TestAsync(conn, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.DoesNotContain("Sup3r-S3cret", result.Error);
    }

    [Fact]
    public async Task A_missing_sqlite_directory_fails_the_test()
    {
        var conn = new ResolvedConnection("lite", "sqlite", "sqlite:///nonexistent-dir/x/y.db", null, null, null);

        var result = await new ConnectionTester(DriverRegistry.CreateDefault(), TimeProvider.System).TestAsync(conn, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Contains("lite", result.Error);
    }
}
