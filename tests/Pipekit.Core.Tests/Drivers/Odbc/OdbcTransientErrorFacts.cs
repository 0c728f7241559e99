using Pipekit.Core.Drivers.Odbc;
using Pipekit.Core.Drivers.Odbc.Native;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

/// <summary>
/// Which ODBC errors the driver calls worth a retry, by SQLSTATE whatever database is behind the driver; a terminal one
/// comes from a real driver (SQLite's) where it is installed.
/// </summary>
public sealed class OdbcTransientErrorFacts : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly OdbcDriver _driver = (OdbcDriver)Pipekit.Core.Drivers.DriverRegistry.CreateDefault().Get("odbc");

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("08001", true)] // unable to connect
    [InlineData("08S01", true)] // communication link failure
    [InlineData("40001", true)] // serialization failure / deadlock
    [InlineData("HYT00", true)] // timeout expired
    [InlineData("HYT01", true)] // connection timeout expired
    [InlineData("42000", false)] // syntax error or access violation
    [InlineData("42S22", false)] // column not found
    [InlineData("23000", false)] // integrity constraint violation
    [InlineData("22018", false)] // invalid character value for cast
    public void Each_sqlstate_has_one_verdict(string sqlState, bool transient)
    {
        var error = OdbcNativeException.Create([new OdbcDiagnosticRecord(sqlState, 0, "the driver's text", null)], -1);

        Assert.Equal(sqlState, error.SqlState);
        Assert.Equal(transient, _driver.IsTransient(error));
    }

    [Fact]
    public void An_error_is_transient_when_any_of_its_records_is()
    {
        var error = OdbcNativeException.Create(
            [new OdbcDiagnosticRecord("HY000", 0, "general error", null), new OdbcDiagnosticRecord("08S01", 0, "link failure", null)], -1);

        Assert.True(_driver.IsTransient(error));
    }

    [SqliteOdbcFact]
    public async Task A_syntax_error_from_a_real_driver_is_terminal()
    {
        await using var connection = new OdbcNativeConnection($"Driver={OdbcTestDrivers.Sqlite};Database={_dir.File("odbc.db")}");
        await connection.OpenAsync();
        await using var command = new OdbcNativeCommand("SELEC 1", connection);

        var error = await Assert.ThrowsAsync<OdbcNativeException>(() => command.ExecuteNonQueryAsync());

        Assert.False(_driver.IsTransient(error), $"{error.SqlState}: {error.Message}");
    }
}
