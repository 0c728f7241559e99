using Npgsql;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Postgres;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Postgres;

/// <summary>Which real PostgreSQL errors the driver calls worth a retry, provoked on the throwaway cluster.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresTransientErrorFacts(PostgresFixture postgres)
{
    private readonly PostgresDriver _driver = new();

    [PostgresTheory]
    [InlineData("SELEC 1", "42601")]
    [InlineData("SELECT missing FROM t", "42703")]
    [InlineData("INSERT INTO t VALUES (1, 0)", "23505")]
    [InlineData("SELECT 1 / 0", "22012")]
    public async Task Syntax_missing_column_constraint_and_data_errors_are_terminal(string sql, string sqlState)
    {
        await using var db = await OpenAsync(postgres);
        await ExecuteAsync(db, "CREATE TABLE t (id int PRIMARY KEY, n int)", "INSERT INTO t VALUES (1, 0)");

        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(db, sql));

        Assert.Equal(sqlState, error.SqlState);
        Assert.False(_driver.IsTransient(error));
    }

    [PostgresFact]
    public async Task A_serialization_failure_is_transient()
    {
        var uri = await postgres.NewDatabaseUriAsync();
        await using var a = await OpenAsync(uri);
        await using var b = await OpenAsync(uri);
        await ExecuteAsync(a, "CREATE TABLE t (id int PRIMARY KEY, n int)", "INSERT INTO t VALUES (1, 0)");

        await using var tx = await a.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        await ExecuteAsync(a, "SELECT n FROM t");
        await ExecuteAsync(b, "UPDATE t SET n = 1 WHERE id = 1");
        var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(a, "UPDATE t SET n = 2 WHERE id = 1"));

        Assert.Equal("40001", error.SqlState);
        Assert.True(_driver.IsTransient(error));
    }

    [PostgresFact]
    public async Task A_deadlock_is_transient()
    {
        var uri = await postgres.NewDatabaseUriAsync();
        await using var a = await OpenAsync(uri);
        await using var b = await OpenAsync(uri);
        await ExecuteAsync(a, "CREATE TABLE t (id int PRIMARY KEY, n int)", "INSERT INTO t VALUES (1, 0), (2, 0)");

        await using var txA = await a.BeginTransactionAsync();
        await using var txB = await b.BeginTransactionAsync();
        await ExecuteAsync(a, "UPDATE t SET n = 1 WHERE id = 1");
        await ExecuteAsync(b, "UPDATE t SET n = 1 WHERE id = 2");
        // each now waits for the row the other holds; the server picks one victim and the other goes on
        var first = ExecuteAsync(a, "UPDATE t SET n = 2 WHERE id = 2");
        var second = ExecuteAsync(b, "UPDATE t SET n = 2 WHERE id = 1");
        var outcomes = await Task.WhenAll(Outcome(first), Outcome(second));

        var victim = Assert.Single(outcomes.OfType<PostgresException>());
        Assert.Equal("40P01", victim.SqlState);
        Assert.True(_driver.IsTransient(victim));
    }

    [PostgresFact]
    public async Task A_connection_the_administrator_terminated_is_transient()
    {
        var uri = await postgres.NewDatabaseUriAsync();
        await using var victim = await OpenAsync(uri);
        await using var admin = await OpenAsync(uri);
        await using (var pid = new NpgsqlCommand("SELECT pg_backend_pid()", victim))
        {
            var id = (int)(await pid.ExecuteScalarAsync())!;
            await ExecuteAsync(admin, $"SELECT pg_terminate_backend({id})");
        }

        var error = await Assert.ThrowsAnyAsync<NpgsqlException>(() => ExecuteAsync(victim, "SELECT 1"));

        Assert.True(_driver.IsTransient(error), $"{error.GetType().Name} {(error as PostgresException)?.SqlState}: {error.Message}");
    }

    [Fact]
    public async Task A_refused_connection_is_transient_through_the_drivers_own_error()
    {
        var connection = new ResolvedConnection("nowhere", "postgres", $"postgres://pipekit@127.0.0.1:{FreePort.Next()}/none", null, null, null);

        var error = await Assert.ThrowsAsync<DriverException>(() => _driver.OpenAsync(connection, CancellationToken.None));

        Assert.True(_driver.IsTransient(error));
    }

    [Theory]
    [InlineData("40001", true)]
    [InlineData("40P01", true)]
    [InlineData("08006", true)]
    [InlineData("08001", true)]
    [InlineData("53300", true)]
    [InlineData("55P03", true)]
    [InlineData("57P01", true)]
    [InlineData("57P02", true)]
    [InlineData("57P03", true)]
    [InlineData("57014", false)]
    [InlineData("42P01", false)]
    [InlineData("23503", false)]
    [InlineData("22P02", false)]
    public void Each_sqlstate_has_one_verdict(string sqlState, bool transient) =>
        Assert.Equal(transient, PostgresTransientErrors.IsTransient(sqlState));

    [Fact]
    public void Cancellation_and_errors_of_other_kinds_are_not_transient()
    {
        Assert.False(_driver.IsTransient(new OperationCanceledException()));
        Assert.False(_driver.IsTransient(new DriverException("destination table t does not exist")));
        Assert.True(_driver.IsTransient(new DriverException("cannot connect", new TimeoutException())));
    }

    private static async Task<Exception?> Outcome(Task task)
    {
        try
        {
            await task;
            return null;
        }
        catch (Exception e)
        {
            return e;
        }
    }

    private async Task<NpgsqlConnection> OpenAsync(PostgresFixture fixture) => await OpenAsync(await fixture.NewDatabaseUriAsync());

    private async Task<NpgsqlConnection> OpenAsync(string uri) =>
        (NpgsqlConnection)await _driver.OpenAsync(new ResolvedConnection("pg", "postgres", uri, null, null, null), CancellationToken.None);

    private static async Task ExecuteAsync(NpgsqlConnection db, params string[] statements)
    {
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, db);
            await command.ExecuteNonQueryAsync();
        }
    }
}
