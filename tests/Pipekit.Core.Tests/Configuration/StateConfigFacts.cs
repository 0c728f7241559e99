using Pipekit.Core.Configuration;
using Pipekit.Core.State;
using Xunit;

namespace Pipekit.Core.Tests.Configuration;

/// <summary><c>[state] url</c>, <c>[state] password</c> and <c>PIPEKIT_STATE_URL</c> choose the state store.</summary>
public sealed class StateConfigFacts
{
    private static readonly Dictionary<string, string?> NoEnvironment = new();

    [Fact]
    public void Without_a_url_the_store_is_the_SQLite_file()
    {
        var environment = PipekitEnvironment.Create(new PipekitHome("/tmp/pk"), new PipekitConfig(), null, NoEnvironment);
        Assert.Equal(StoreKind.Sqlite, environment.StateKind);
        Assert.Equal("/tmp/pk/pipekit.db", environment.StatePath);
    }

    [Fact]
    public void A_url_and_a_password_reference_choose_PostgreSQL()
    {
        var config = ConfigLoader.Parse("[state]\nurl = \"postgres://pipekit@db.internal:5433/pipekit\"\npassword = \"$STATE_PW\"\n", "/x/pipekit.toml");
        Assert.Equal("postgres://pipekit@db.internal:5433/pipekit", config.State.Url);
        Assert.Equal("$STATE_PW", config.State.Password);
        Assert.Equal(StoreKind.Postgres, PipekitEnvironment.Create(new PipekitHome("/tmp/pk"), config, null, NoEnvironment).StateKind);
    }

    [Fact]
    public void PIPEKIT_STATE_URL_wins_over_the_file()
    {
        var config = ConfigLoader.Parse("[state]\nurl = \"postgres://a@one/db\"\n", "/x/pipekit.toml");
        var environment = PipekitEnvironment.Create(new PipekitHome("/tmp/pk"), config, null,
            new Dictionary<string, string?> { ["PIPEKIT_STATE_URL"] = "postgres://b@two:5432/other" });
        Assert.Equal("postgres://b@two:5432/other", environment.Config.State.Url);
    }

    [Theory]
    [InlineData("[state]\npassword = \"hunter2-literal\"\n", "/x/pipekit.toml:2: state.password: must be a $NAME secret reference, not a literal password")]
    [InlineData("[state]\nurl = \"postgres://u:hunter2-literal@h/db\"\n", "/x/pipekit.toml:2: state.url: must not contain a password")]
    [InlineData("[state]\nurl = \"mysql://u@h/db\"\n", "/x/pipekit.toml:2: state.url: must be a postgres://user@host:port/database URL")]
    [InlineData("[state]\nurl = \"postgres://u@h\"\n", "/x/pipekit.toml:2: state.url: must name a database")]
    [InlineData("[state]\nuri = \"postgres://u@h/db\"\n", "/x/pipekit.toml:2: unknown key 'state.uri'")]
    public void A_bad_state_setting_is_refused_with_its_line_and_never_repeats_a_password(string toml, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(toml, "/x/pipekit.toml"));
        Assert.StartsWith(expected, ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }

    [Fact]
    public void A_PIPEKIT_STATE_URL_with_a_password_is_refused_without_repeating_it()
    {
        var ex = Assert.Throws<ConfigException>(() => PipekitEnvironment.Create(new PipekitHome("/tmp/pk"), new PipekitConfig(), null,
            new Dictionary<string, string?> { ["PIPEKIT_STATE_URL"] = "postgres://u:hunter2-literal@h/db" }));
        Assert.StartsWith("PIPEKIT_STATE_URL: must not contain a password", ex.Message);
        Assert.DoesNotContain("hunter2", ex.Message);
    }
}
