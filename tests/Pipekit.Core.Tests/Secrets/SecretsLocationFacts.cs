using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Xunit;

namespace Pipekit.Core.Tests.Secrets;

public sealed class SecretsLocationFacts
{
    private static readonly PipekitHome Home = new("/srv/pipekit-home");

    private static Dictionary<string, string?> Env(string? secrets = null) =>
        new() { ["PIPEKIT_SECRETS"] = secrets };

    [Fact]
    public void The_cli_flag_wins_over_everything()
    {
        var path = SecretsLocation.Resolve("/flag/secrets.toml", Env("/env/secrets.toml"), Home, _ => true);

        Assert.Equal("/flag/secrets.toml", path);
    }

    [Fact]
    public void PIPEKIT_SECRETS_is_used_without_a_flag()
    {
        var path = SecretsLocation.Resolve(null, Env("/env/secrets.env"), Home, _ => true);

        Assert.Equal("/env/secrets.env", path);
    }

    [Fact]
    public void The_system_file_is_used_when_it_exists()
    {
        var path = SecretsLocation.Resolve(null, Env(), Home, p => p == "/etc/pipekit/secrets.toml");

        Assert.Equal("/etc/pipekit/secrets.toml", path);
    }

    [Fact]
    public void The_file_in_PIPEKIT_HOME_is_the_last_resort()
    {
        var path = SecretsLocation.Resolve(null, Env(), Home, _ => false);

        Assert.Equal("/srv/pipekit-home/secrets.toml", path);
        Assert.Equal(Home.DefaultSecretsPath, path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Blank_flag_and_variable_count_as_unset(string blank)
    {
        var path = SecretsLocation.Resolve(blank, Env(blank), Home, _ => false);

        Assert.Equal(Home.DefaultSecretsPath, path);
    }

    [Fact]
    public void Relative_paths_are_made_absolute()
    {
        Assert.Equal(Path.GetFullPath("local/secrets.toml"), SecretsLocation.Resolve("local/secrets.toml", Env(), Home, _ => false));
        Assert.Equal(Path.GetFullPath("env.toml"), SecretsLocation.Resolve(null, Env("env.toml"), Home, _ => false));
    }
}
