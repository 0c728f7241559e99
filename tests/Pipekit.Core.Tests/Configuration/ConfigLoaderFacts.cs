using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Configuration;

public sealed class ConfigLoaderFacts
{
    [Fact]
    public async Task No_file_means_defaults()
    {
        using var dir = new TempDirectory();
        var config = await ConfigLoader.LoadAsync(null, new PipekitHome(dir.Path), CancellationToken.None, new Dictionary<string, string?>());
        Assert.Null(config.SourcePath);
        Assert.Equal("127.0.0.1", config.Server.Host);
        Assert.Equal(8080, config.Server.Port);
        Assert.True(config.Scheduler.Enabled);
    }

    [Fact]
    public void A_full_file_is_read_into_every_section()
    {
        var config = ConfigLoader.Parse("""
            # comment
            [server]
            host = "0.0.0.0"
            port = 9090

            [state]
            path = "/var/lib/pipekit/pipekit.db"

            [secrets]
            path = "/etc/pipekit/secrets.toml"

            [scheduler]
            enabled = false
            """, "/x/pipekit.toml");
        Assert.Equal("0.0.0.0", config.Server.Host);
        Assert.Equal(9090, config.Server.Port);
        Assert.Equal("/var/lib/pipekit/pipekit.db", config.State.Path);
        Assert.Equal("/etc/pipekit/secrets.toml", config.Secrets.Path);
        Assert.False(config.Scheduler.Enabled);
    }

    [Fact]
    public void Allowed_hosts_are_read_as_a_list_of_names()
    {
        var config = ConfigLoader.Parse("[server]\nallowed_hosts = [\"pipekit.example.com\", \"*.corp.example\", \"10.0.0.5\", \"[fd00::1]\"]\n", "/x/pipekit.toml");

        Assert.Equal(["pipekit.example.com", "*.corp.example", "10.0.0.5", "[fd00::1]"], config.Server.AllowedHosts);
        Assert.Empty(ConfigLoader.Parse("[server]\nport = 1\n", "/x/pipekit.toml").Server.AllowedHosts);
    }

    [Theory]
    [InlineData("[server]\nhost = \"h\"\nprot = 1\n", "/x/pipekit.toml:3: unknown key 'server.prot'")]
    [InlineData("[sever]\nport = 1\n", "/x/pipekit.toml:2: unknown key 'sever.port'")]
    [InlineData("[server]\n\nport = \"8080\"\n", "/x/pipekit.toml:3: server.port: expected an integer, got a string")]
    [InlineData("[server]\nport = 70000\n", "/x/pipekit.toml:2: server.port: must be between 1 and 65535, got 70000")]
    [InlineData("[scheduler]\nenabled = 1\n", "/x/pipekit.toml:2: scheduler.enabled: expected true or false, got an integer")]
    [InlineData("[state]\npath = \"\"\n", "/x/pipekit.toml:2: state.path: must not be empty")]
    [InlineData("[server]\nallowed_hosts = \"pipekit.example.com\"\n", "/x/pipekit.toml:2: server.allowed_hosts: expected an array of strings, got a string")]
    [InlineData("[server]\nallowed_hosts = [\"pipekit.example.com:8080\"]\n", "/x/pipekit.toml:2: server.allowed_hosts: must hold host names without a port")]
    [InlineData("[server]\nallowed_hosts = [\"https://pipekit.example.com\"]\n", "/x/pipekit.toml:2: server.allowed_hosts: must hold host names without a port")]
    public void A_bad_key_or_value_names_the_file_the_line_and_the_key(string toml, string expectedStart)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(toml, "/x/pipekit.toml"));
        Assert.StartsWith(expectedStart, ex.Message);
    }

    [Fact]
    public void A_syntax_error_names_the_line()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("[server]\nport = 80\nhost = \n", "/x/pipekit.toml"));
        Assert.StartsWith("/x/pipekit.toml:3:", ex.Message);
    }

    [Fact]
    public async Task The_flag_wins_over_the_environment_and_the_home_file()
    {
        using var dir = new TempDirectory();
        await File.WriteAllTextAsync(dir.File("flag.toml"), "[server]\nport = 1001\n");
        await File.WriteAllTextAsync(dir.File("env.toml"), "[server]\nport = 1002\n");
        await File.WriteAllTextAsync(dir.File("pipekit.toml"), "[server]\nport = 1003\n");
        var home = new PipekitHome(dir.Path);
        var env = new Dictionary<string, string?> { ["PIPEKIT_CONFIG"] = dir.File("env.toml") };

        Assert.Equal(1001, (await ConfigLoader.LoadAsync(dir.File("flag.toml"), home, CancellationToken.None, env)).Server.Port);
        Assert.Equal(1002, (await ConfigLoader.LoadAsync(null, home, CancellationToken.None, env)).Server.Port);
        Assert.Equal(1003, (await ConfigLoader.LoadAsync(null, home, CancellationToken.None, new Dictionary<string, string?>())).Server.Port);
    }

    [Fact]
    public async Task An_explicit_config_file_that_does_not_exist_is_an_error()
    {
        using var dir = new TempDirectory();
        var ex = await Assert.ThrowsAsync<ConfigException>(() =>
            ConfigLoader.LoadAsync(dir.File("missing.toml"), new PipekitHome(dir.Path), CancellationToken.None, new Dictionary<string, string?>()));
        Assert.Contains("missing.toml not found", ex.Message);
    }
}
