using Microsoft.Data.SqlClient;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.SqlServer;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.SqlServer;

public sealed class SqlServerConnectionSettingsFacts
{
    private static ResolvedConnection Connection(string url, string? user = null, string? password = null) =>
        new("erp", "sqlserver", url, user, password, null);

    [Fact]
    public void The_seed_URI_becomes_SqlClient_settings()
    {
        var b = SqlServerConnectionSettings.Build(Connection("sqlserver://sa:pw@db.local:1433/erp?encrypt=false&trust_server_certificate=true"));
        Assert.Equal("db.local,1433", b.DataSource);
        Assert.Equal("erp", b.InitialCatalog);
        Assert.Equal(("sa", "pw"), (b.UserID, b.Password));
        Assert.Equal(SqlConnectionEncryptOption.Optional, b.Encrypt);
        Assert.True(b.TrustServerCertificate);
    }

    [Theory]
    [InlineData("mssql://host/db", "host")]
    [InlineData("sqlserver://host:14330/db", "host,14330")]
    [InlineData("sqlserver://host/db?instance=SQLEXPRESS", "host\\SQLEXPRESS")]
    [InlineData("sqlserver://host:1500/db?instance=SQLEXPRESS", "host\\SQLEXPRESS,1500")]
    public void The_data_source_is_host_instance_and_port(string uri, string dataSource) =>
        Assert.Equal(dataSource, SqlServerConnectionSettings.Build(Connection(uri)).DataSource);

    [Fact]
    public void More_options_pass_through_with_underscores_for_spaces()
    {
        var b = SqlServerConnectionSettings.Build(Connection("sqlserver://h/d?application_name=pipekit&connect_timeout=7&multi_subnet_failover=true&application_intent=ReadOnly"));
        Assert.Equal(("pipekit", 7, true, ApplicationIntent.ReadOnly), (b.ApplicationName, b.ConnectTimeout, b.MultiSubnetFailover, b.ApplicationIntent));
    }

    [Fact]
    public void The_resolved_user_and_password_win_over_the_text()
    {
        var b = SqlServerConnectionSettings.Build(Connection("sqlserver://old:old@h/d", "svc", "from-secrets"));
        Assert.Equal(("svc", "from-secrets"), (b.UserID, b.Password));
    }

    [Fact]
    public void A_native_string_is_used_as_written()
    {
        var b = SqlServerConnectionSettings.Build(Connection("Server=tcp:h,1433;Database=d;User ID=u;Encrypt=true", password: "pw"));
        Assert.Equal(("tcp:h,1433", "d", "u", "pw", SqlConnectionEncryptOption.Mandatory), (b.DataSource, b.InitialCatalog, b.UserID, b.Password, b.Encrypt));
    }

    [Fact]
    public void An_unknown_option_is_named_without_the_password()
    {
        var e = Assert.Throws<DriverException>(() => SqlServerConnectionSettings.Build(Connection("sqlserver://u:hunter2@h/d?colour=blue", password: "hunter2")));
        Assert.Contains("'colour'", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Theory]
    [InlineData("Server=h;Password=hunter2;Encrypt=hunter2")]
    [InlineData("Server=h;Password=hunter2;;=;junk")]
    [InlineData("Server=h;Pwd=hunter2;Connect Timeout=hunter2")]
    public void A_malformed_native_string_error_never_contains_the_password(string text)
    {
        var e = Assert.Throws<DriverException>(() => SqlServerConnectionSettings.Build(Connection(text)));
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Null(e.InnerException);
        Assert.Contains("'erp'", e.Message);
    }

    [Fact]
    public void A_connection_without_a_server_is_refused() =>
        Assert.Throws<DriverException>(() => SqlServerConnectionSettings.Build(Connection("Database=d")));

    [Fact]
    public void The_registry_finds_the_driver_by_kind_and_by_both_schemes()
    {
        var registry = DriverRegistry.CreateDefault();
        Assert.IsType<SqlServerDriver>(registry.Get("sqlserver"));
        Assert.IsType<SqlServerDriver>(registry.FindByUrl("sqlserver://h/d"));
        Assert.IsType<SqlServerDriver>(registry.FindByUrl("mssql://h/d"));
        Assert.IsType<SqlServerDriver>(registry.Resolve("sqlserver", "Server=h;Database=d"));
    }

    [Fact]
    public async Task An_unreachable_server_is_a_one_line_driver_error_without_the_password()
    {
        var port = Pipekit.Testing.FreePort.Next();
        var e = await Assert.ThrowsAsync<DriverException>(() => new SqlServerDriver().OpenAsync(
            Connection($"sqlserver://sa:hunter2@127.0.0.1:{port}/erp?connect_timeout=2&encrypt=false", password: "hunter2"), CancellationToken.None));
        Assert.Contains($"127.0.0.1,{port}/erp", e.Message);
        Assert.DoesNotContain("hunter2", e.ToString());
        Assert.DoesNotContain('\n', e.Message);
    }
}
