using System.Data;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Db2i;
using Pipekit.Core.Drivers.Odbc;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

public sealed class OdbcDriverFacts
{
    private readonly OdbcDriver _driver = new([new Db2iDialect()]);

    [Fact]
    public void The_registry_knows_the_odbc_driver_by_kind_and_scheme()
    {
        var registry = DriverRegistry.CreateDefault();
        Assert.IsType<OdbcDriver>(registry.Get("odbc"));
        Assert.IsType<OdbcDriver>(registry.FindByUrl("odbc://AS400PROD"));
        Assert.Contains("multi-row INSERT", registry.Get("odbc").BulkPath);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("db2i")]
    [InlineData("DB2I")]
    public void The_dialect_defaults_to_db2_for_i(string? name) =>
        Assert.Equal("db2i", _driver.GetDialect(name).Name);

    [Fact]
    public void An_unknown_dialect_lists_the_known_ones()
    {
        var error = Assert.Throws<DriverException>(() => _driver.GetDialect("oracle"));
        Assert.Contains("'oracle'", error.Message);
        Assert.Contains("db2i", error.Message);
    }

    [Fact]
    public void The_driver_refuses_to_start_without_the_default_dialect() =>
        Assert.Throws<ArgumentException>(() => new OdbcDriver([]));

    [SqliteOdbcFact]
    public async Task OpenAsync_connects_through_a_native_odbc_url_and_carries_the_dialect()
    {
        using var directory = new TempDirectory();
        var url = $"odbc:Driver={OdbcTestDrivers.Sqlite};Database={directory.File("x.db")}";

        await using var connection = await _driver.OpenAsync(new ResolvedConnection("local", "odbc", url, null, null, null), default);

        Assert.Equal(ConnectionState.Open, connection.State);
        Assert.Equal("db2i", Assert.IsType<OdbcNativeConnection>(connection).Dialect?.Name);
    }

    [SqliteOdbcFact]
    public async Task A_failed_open_names_the_connection_and_never_shows_the_password()
    {
        const string password = "Tr0ub4dor&3";
        var connection = new ResolvedConnection("as400", "odbc", "odbc:Driver=/nonexistent/libdb2.so;System=as400", "PIPEKIT", password, null);

        var error = await Assert.ThrowsAsync<DriverException>(() => _driver.OpenAsync(connection, default));

        Assert.Matches("^cannot connect to 'as400': [0-9A-Z]{5}: ", error.Message);
        Assert.Contains("/nonexistent/libdb2.so", error.Message);
        Assert.DoesNotContain(password, error.ToString());
    }
}
