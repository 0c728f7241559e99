using Pipekit.Core.Drivers.Odbc;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Odbc;

public sealed class OdbcConnectionStringFacts
{
    [Fact]
    public void Braced_values_keep_their_semicolons_and_doubled_braces()
    {
        var parsed = OdbcConnectionString.Parse("Driver={My Driver};PWD={a;b}}c};Server= db ");
        Assert.Equal("My Driver", parsed.Get("driver"));
        Assert.Equal("a;b}c", parsed.Get("PWD"));
        Assert.Equal("db", parsed.Get("SERVER"));
        Assert.Equal("Driver={My Driver};PWD={a;b}}c};Server=db", parsed.ToString());
    }

    [Fact]
    public void The_redacted_form_hides_every_password()
    {
        var parsed = OdbcConnectionString.Parse("DSN=x;UID=u;PWD=hunter2;Password={p;q}");
        Assert.Equal("DSN=x;UID=u;PWD=***;Password=***", parsed.ToRedactedString());
        Assert.Equal(["hunter2", "p;q"], parsed.Secrets);
    }

    [Fact]
    public void A_part_without_an_equals_sign_is_rejected_without_echoing_it()
    {
        var error = Assert.Throws<FormatException>(() => OdbcConnectionString.Parse("DSN=x;hunter2"));
        Assert.DoesNotContain("hunter2", error.Message);
        Assert.Contains("part 2", error.Message);
    }
}
