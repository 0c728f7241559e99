using Microsoft.Data.SqlClient;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.SqlServer;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.SqlServer;

/// <summary>
/// Which SQL Server errors the driver calls worth a retry. No SQL Server runs here, so server errors are judged by
/// their numbers (SqlException has no public constructor); a refused connection is a real SqlClient error.
/// </summary>
public sealed class SqlServerTransientErrorFacts
{
    private readonly SqlServerDriver _driver = new();

    [Theory]
    [InlineData(1205, true)]   // deadlock victim
    [InlineData(-2, true)]     // client timeout
    [InlineData(40613, true)]  // Azure SQL database unavailable
    [InlineData(40197, true)]
    [InlineData(40501, true)]
    [InlineData(4060, true)]
    [InlineData(1222, true)]
    [InlineData(10054, true)]
    [InlineData(233, true)]
    [InlineData(102, false)]   // incorrect syntax
    [InlineData(207, false)]   // invalid column name
    [InlineData(208, false)]   // invalid object name
    [InlineData(2627, false)]  // unique key violation
    [InlineData(547, false)]   // foreign key / check constraint
    [InlineData(18456, false)] // login failed
    public void Each_error_number_has_one_verdict(int number, bool transient) =>
        Assert.Equal(transient, SqlServerTransientErrors.IsTransient(number));

    [Fact]
    public void An_exception_is_transient_when_any_of_its_errors_is()
    {
        Assert.True(SqlServerTransientErrors.IsTransient([3621, 1205]));
        Assert.False(SqlServerTransientErrors.IsTransient([3621, 2627]));
    }

    [Fact]
    public async Task A_refused_connection_is_transient()
    {
        // A port bound but not listening refuses every connection, and no other test can start a server on it meanwhile
        // (a port that is merely free may be taken by one between choosing it and connecting).
        using var held = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        held.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        var port = ((System.Net.IPEndPoint)held.LocalEndPoint!).Port;
        var connection = new ResolvedConnection("nowhere", "sqlserver",
            $"sqlserver://sa@127.0.0.1:{port}/none?connect_timeout=5&encrypt=false", null, "x", null);

        var error = await Assert.ThrowsAsync<DriverException>(() => _driver.OpenAsync(connection, CancellationToken.None));

        var sql = Assert.IsType<SqlException>(error.InnerException);
        Assert.True(_driver.IsTransient(error), $"SqlException {sql.Number} ({string.Join(", ", sql.Errors.Cast<SqlError>().Select(e => e.Number))}): {sql.Message} <- {sql.InnerException?.GetType().Name}");
    }
}
