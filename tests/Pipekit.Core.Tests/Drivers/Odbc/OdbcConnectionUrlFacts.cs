using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Odbc;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

public sealed class OdbcConnectionUrlFacts
{
    [Theory]
    [InlineData("odbc://AS400PROD", "DSN=AS400PROD")]
    [InlineData("ODBC://AS400PROD", "DSN=AS400PROD")]
    [InlineData("odbc://My%20Warehouse", "DSN=My Warehouse")]
    [InlineData("odbc://AS400PROD?CommitMode=2;Naming=0", "DSN=AS400PROD;CommitMode=2;Naming=0")]
    [InlineData("odbc://?Driver=/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so;Database=/data/x.db",
        "Driver=/usr/lib/x86_64-linux-gnu/odbc/libsqlite3odbc.so;Database=/data/x.db")]
    [InlineData("odbc:Driver={PostgreSQL Unicode};Server=db;Database=sales", "Driver={PostgreSQL Unicode};Server=db;Database=sales")]
    [InlineData("Driver={IBM i Access ODBC Driver};System=as400.example.com", "Driver={IBM i Access ODBC Driver};System=as400.example.com")]
    public void The_url_becomes_an_odbc_connection_string(string url, string expected) =>
        Assert.Equal(expected, OdbcConnectionUrl.ToConnectionString(url, null, null).ToString());

    [Fact]
    public void The_connections_user_and_password_replace_those_in_the_string() =>
        Assert.Equal(
            "DSN=AS400PROD;UID=PIPEKIT;PWD=s3cret",
            OdbcConnectionUrl.ToConnectionString("odbc://AS400PROD?UID=old;PWD=old", "PIPEKIT", "s3cret").ToString());

    [Fact]
    public void A_password_with_semicolons_or_braces_is_brace_quoted() =>
        Assert.Equal(
            "DSN=AS400PROD;UID=PIPEKIT;PWD={a;b}}c}",
            OdbcConnectionUrl.ToConnectionString("odbc://AS400PROD", "PIPEKIT", "a;b}c").ToString());

    [Theory]
    [InlineData("odbc://")]
    [InlineData("odbc:")]
    [InlineData("odbc://?")]
    [InlineData("odbc:Server=db;Database=sales")]
    [InlineData("odbc://host/path")]
    [InlineData("odbc:DSN={unclosed")]
    public void A_url_that_names_no_driver_or_dsn_is_a_clear_error(string url)
    {
        var error = Assert.Throws<DriverException>(() => OdbcConnectionUrl.ToConnectionString(url, null, null));
        Assert.Contains("odbc", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_url_with_credentials_in_it_is_refused_without_echoing_them()
    {
        var error = Assert.Throws<DriverException>(() => OdbcConnectionUrl.ToConnectionString("odbc://PIPEKIT:hunter2@as400/LIB", null, null));
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.Contains("DSN name", error.Message);
    }
}
