using MySqlConnector;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.MySql;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.MySql;

public sealed class MySqlConnectionSettingsFacts
{
    private static ResolvedConnection Connection(string url, string? user = null, string? password = null) =>
        new("warehouse", "mysql", url, user, password, null);

    [Fact]
    public void A_URI_becomes_MySqlConnector_settings_with_Pipekit_defaults()
    {
        var b = MySqlConnectionSettings.Build(Connection("mysql://app:pw@db.local:3307/sales?ssl_mode=None&connection_timeout=7"));
        Assert.Equal("db.local", b.Server);
        Assert.Equal(3307u, b.Port);
        Assert.Equal("sales", b.Database);
        Assert.Equal("app", b.UserID);
        Assert.Equal("pw", b.Password);
        Assert.Equal(MySqlSslMode.None, b.SslMode);
        Assert.Equal(7u, b.ConnectionTimeout);
        Assert.True(b.AllowLoadLocalInfile);
        Assert.Equal(MySqlGuidFormat.None, b.GuidFormat);
    }

    [Fact]
    public void The_mariadb_scheme_and_default_port_work()
    {
        var b = MySqlConnectionSettings.Build(Connection("mariadb://host/db"));
        Assert.Equal(3306u, b.Port);
        Assert.Equal("db", b.Database);
    }

    [Fact]
    public void The_resolved_user_and_password_win_over_the_text()
    {
        var b = MySqlConnectionSettings.Build(Connection("mysql://app:old@host/db", "svc", "from-secrets"));
        Assert.Equal("svc", b.UserID);
        Assert.Equal("from-secrets", b.Password);
    }

    [Fact]
    public void A_native_string_keeps_what_it_says_and_gets_the_defaults_it_does_not()
    {
        var b = MySqlConnectionSettings.Build(Connection("Server=h;Port=3310;Database=d;User ID=u;AllowLoadLocalInfile=false", password: "pw"));
        Assert.Equal(("h", 3310u, "d", "u", "pw"), (b.Server, b.Port, b.Database, b.UserID, b.Password));
        Assert.False(b.AllowLoadLocalInfile);
        Assert.Equal(MySqlGuidFormat.None, b.GuidFormat);
    }

    [Fact]
    public void A_URI_option_can_turn_LOAD_DATA_off() =>
        Assert.False(MySqlConnectionSettings.Build(Connection("mysql://h/d?allow_load_local_infile=false")).AllowLoadLocalInfile);

    [Fact]
    public void An_unknown_option_is_named_without_the_password()
    {
        var e = Assert.Throws<DriverException>(() => MySqlConnectionSettings.Build(Connection("mysql://u:hunter2@h/d?colour=blue", password: "hunter2")));
        Assert.Contains("'colour'", e.Message);
        Assert.DoesNotContain("hunter2", e.Message);
    }

    [Theory]
    [InlineData("Server=h;Password=hunter2;Port=notaport")]
    [InlineData("Server=h;Password=hunter2;;=;junk")]
    [InlineData("Password=hunter2;Server=h;Guid Format=hunter2")]
    public void A_malformed_native_string_error_never_contains_the_password(string text)
    {
        var e = Assert.Throws<DriverException>(() => MySqlConnectionSettings.Build(Connection(text)));
        Assert.DoesNotContain("hunter2", e.Message);
        Assert.Null(e.InnerException);
        Assert.Contains("warehouse", e.Message);
    }

    [Fact]
    public void A_connection_without_a_host_is_refused() =>
        Assert.Throws<DriverException>(() => MySqlConnectionSettings.Build(Connection("Database=d")));

    [Fact]
    public void The_description_names_host_port_and_database_only()
    {
        var b = MySqlConnectionSettings.Build(Connection("mysql://u:pw@h:3307/d"));
        Assert.Equal("h:3307/d", MySqlConnectionSettings.Describe(b));
    }
}
