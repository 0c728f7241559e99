using MySqlConnector;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.MySql;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.MySql;

/// <summary>Which real MariaDB errors the driver calls worth a retry, provoked on the test server.</summary>
[Collection(MariaDbCollection.Name)]
public sealed class MySqlTransientErrorFacts(MariaDbFixture mariadb)
{
    private readonly MySqlDriver _driver = new();

    [MariaDbTheory]
    [InlineData("SELEC 1", 1064)]
    [InlineData("SELECT missing FROM t", 1054)]
    [InlineData("INSERT INTO t VALUES (1, 0)", 1062)]
    [InlineData("SELECT * FROM no_such_table", 1146)]
    public async Task Syntax_missing_column_and_constraint_errors_are_terminal(string sql, int number)
    {
        await using var db = await OpenAsync(await mariadb.NewDatabaseUriAsync());
        await ExecuteAsync(db, "CREATE TABLE t (id int PRIMARY KEY, n int) ENGINE=InnoDB", "INSERT INTO t VALUES (1, 0)");

        var error = await Assert.ThrowsAsync<MySqlException>(() => ExecuteAsync(db, sql));

        Assert.Equal(number, error.Number);
        Assert.False(_driver.IsTransient(error));
    }

    [MariaDbFact]
    public async Task A_deadlock_is_transient()
    {
        var uri = await mariadb.NewDatabaseUriAsync();
        await using var a = await OpenAsync(uri);
        await using var b = await OpenAsync(uri);
        await ExecuteAsync(a, "CREATE TABLE t (id int PRIMARY KEY, n int) ENGINE=InnoDB", "INSERT INTO t VALUES (1, 0), (2, 0)");

        await ExecuteAsync(a, "START TRANSACTION", "UPDATE t SET n = 1 WHERE id = 1");
        await ExecuteAsync(b, "START TRANSACTION", "UPDATE t SET n = 1 WHERE id = 2");
        var first = ExecuteAsync(a, "UPDATE t SET n = 2 WHERE id = 2");
        var second = ExecuteAsync(b, "UPDATE t SET n = 2 WHERE id = 1");
        var outcomes = await Task.WhenAll(Outcome(first), Outcome(second));

        var victim = Assert.Single(outcomes.OfType<MySqlException>());
        Assert.Equal(1213, victim.Number);
        Assert.True(_driver.IsTransient(victim));
    }

    [MariaDbFact]
    public async Task A_lock_wait_timeout_is_transient()
    {
        var uri = await mariadb.NewDatabaseUriAsync();
        await using var a = await OpenAsync(uri);
        await using var b = await OpenAsync(uri);
        await ExecuteAsync(a, "CREATE TABLE t (id int PRIMARY KEY, n int) ENGINE=InnoDB", "INSERT INTO t VALUES (1, 0)");

        await ExecuteAsync(a, "START TRANSACTION", "UPDATE t SET n = 1 WHERE id = 1");
        await ExecuteAsync(b, "SET SESSION innodb_lock_wait_timeout = 1");
        var error = await Assert.ThrowsAsync<MySqlException>(() => ExecuteAsync(b, "UPDATE t SET n = 2 WHERE id = 1"));

        Assert.Equal(1205, error.Number);
        Assert.True(_driver.IsTransient(error));
    }

    [MariaDbFact]
    public async Task A_killed_connection_is_transient()
    {
        var uri = await mariadb.NewDatabaseUriAsync();
        await using var victim = await OpenAsync(uri);
        await using var admin = await OpenAsync(uri);
        await ExecuteAsync(admin, $"KILL CONNECTION {victim.ServerThread}");

        var error = await Assert.ThrowsAnyAsync<Exception>(() => ExecuteAsync(victim, "SELECT 1"));

        Assert.True(_driver.IsTransient(error), $"{error.GetType().Name} {(error as MySqlException)?.Number}: {error.Message}");
    }

    [Fact]
    public async Task A_refused_connection_is_transient_through_the_drivers_own_error()
    {
        var connection = new ResolvedConnection("nowhere", "mysql", $"mysql://pipekit@127.0.0.1:{FreePort.Next()}/none", null, null, null);

        var error = await Assert.ThrowsAsync<DriverException>(() => _driver.OpenAsync(connection, CancellationToken.None));

        Assert.True(_driver.IsTransient(error), error.InnerException?.Message);
    }

    [Theory]
    [InlineData(1213, true)]
    [InlineData(1205, true)]
    [InlineData(2002, true)]
    [InlineData(2006, true)]
    [InlineData(2013, true)]
    [InlineData(1040, true)]
    [InlineData(1062, false)]
    [InlineData(1064, false)]
    [InlineData(1054, false)]
    [InlineData(1045, false)]
    public void Each_error_number_has_one_verdict(int number, bool transient) =>
        Assert.Equal(transient, MySqlTransientErrors.IsTransient(number));

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

    private async Task<MySqlConnection> OpenAsync(string uri) =>
        (MySqlConnection)await _driver.OpenAsync(new ResolvedConnection("maria", "mysql", uri, null, null, null), CancellationToken.None);

    private static async Task ExecuteAsync(MySqlConnection db, params string[] statements)
    {
        foreach (var sql in statements)
        {
            await using var command = new MySqlCommand(sql, db);
            await command.ExecuteNonQueryAsync();
        }
    }
}
