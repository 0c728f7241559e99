using Pipekit.Core.Drivers;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

public sealed class ServerUriFacts
{
    [Fact]
    public void Every_part_of_a_full_URI_is_read_and_decoded()
    {
        var uri = ServerUri.Parse("mysql://app%40corp:p%40ss%2Fw0rd@db.example.com:3307/sales%20db?ssl_mode=Required&connection_timeout=5");
        Assert.Equal("mysql", uri.Scheme);
        Assert.Equal("app@corp", uri.User);
        Assert.Equal("p@ss/w0rd", uri.Password);
        Assert.Equal("db.example.com", uri.Host);
        Assert.Equal(3307, uri.Port);
        Assert.Equal("sales db", uri.Database);
        Assert.Equal([new("ssl_mode", "Required"), new("connection_timeout", "5")], uri.Options);
    }

    [Theory]
    [InlineData("mysql://host", null, null, "host", null, null)]
    [InlineData("mysql://host/", null, null, "host", null, null)]
    [InlineData("mysql://root@127.0.0.1:3306/db", "root", null, "127.0.0.1", 3306, "db")]
    [InlineData("sqlserver://sa:pw@[::1]:1433/master", "sa", "pw", "::1", 1433, "master")]
    [InlineData("mssql://host?encrypt=false", null, null, "host", null, null)]
    [InlineData("mysql://u:a:b@host/db", "u", "a:b", "host", null, "db")]
    public void Optional_parts_may_be_left_out(string text, string? user, string? password, string host, int? port, string? database)
    {
        var uri = ServerUri.Parse(text);
        Assert.Equal((user, password, host, port, database), (uri.User, uri.Password, uri.Host, uri.Port, uri.Database));
    }

    [Fact]
    public void ToString_leaves_out_the_password_and_options()
    {
        var uri = ServerUri.Parse("mysql://root:hunter2@[::1]:3306/db?password=hunter2");
        Assert.Equal("mysql://root@[::1]:3306/db", uri.ToString());
    }

    [Theory]
    [InlineData("mysql://u:secret@host:notaport/db")]
    [InlineData("mysql://u:secret@host:99999/db")]
    [InlineData("mysql://u:sec/ret@host/db")]
    [InlineData("mysql://u:sec@ret@host/a/b")]
    [InlineData("mysql://u:secret@/db")]
    [InlineData("mysql://u:secret@[::1/db")]
    [InlineData("//u:secret@host/db")]
    public void A_malformed_URI_is_a_one_line_error_that_never_quotes_the_URI(string text)
    {
        var e = Assert.Throws<DriverException>(() => ServerUri.Parse(text));
        Assert.DoesNotContain("secret", e.Message);
        Assert.DoesNotContain("sec", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Theory]
    [InlineData("mysql://host", true)]
    [InlineData("MariaDB://host", true)]
    [InlineData("postgres://host", false)]
    [InlineData("Server=host;Database=x", false)]
    public void A_scheme_is_recognised_case_insensitively(string text, bool expected) =>
        Assert.Equal(expected, ServerUri.HasScheme(text, ["mysql", "mariadb"]));
}
