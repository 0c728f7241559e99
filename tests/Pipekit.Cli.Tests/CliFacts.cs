using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

public sealed class CliFacts
{
    [Fact]
    public async Task Init_creates_the_store_and_a_second_init_changes_nothing()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);

        var first = await cli.RunAsync("init");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains("applied         core/0001_core.sql", first.Out);
        Assert.Contains("applied         sync/0001_sync.sql", first.Out);
        Assert.True(File.Exists(home.File("pipekit.db")));

        var second = await cli.RunAsync("init");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("already current", second.Out);
    }

    [Fact]
    public async Task Usage_errors_exit_2_with_one_line_on_stderr()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);

        var unknown = await cli.RunAsync("frobnicate");
        Assert.Equal(2, unknown.ExitCode);
        Assert.StartsWith("error:", unknown.Error);

        var missingArg = await cli.RunAsync("secrets", "unset");
        Assert.Equal(2, missingArg.ExitCode);
    }

    [Fact]
    public async Task A_bad_config_file_exits_2_naming_the_line_and_key()
    {
        using var home = new TempDirectory();
        await File.WriteAllTextAsync(home.File("pipekit.toml"), "[server]\nport = \"x\"\n");
        var result = await new PipekitProcess(home.Path).RunAsync("init");
        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"error: {home.File("pipekit.toml")}:2: server.port: expected an integer, got a string", result.Error.Trim());
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task A_failed_operation_exits_1_and_shows_no_stack_trace_unless_verbose()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        var result = await cli.RunAsync("secrets", "unset", "NOPE");
        Assert.Equal(1, result.ExitCode);
        Assert.Single(result.Error.Trim().Split('\n'));
        Assert.DoesNotContain("   at ", result.Error);
    }

    [Fact]
    public async Task Secrets_set_list_unset_never_print_values()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("secrets", "set", "WAREHOUSE_PW", "s3cr3t-value")).ExitCode);
        Assert.Equal(0, (await cli.RunWithInputAsync("s3cr3t-piped\n", "secrets", "set", "CLAIMS_DB", "--project", "claims")).ExitCode);

        var list = await cli.RunAsync("secrets", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains("[global] WAREHOUSE_PW", list.Out);
        Assert.Contains("[claims] CLAIMS_DB", list.Out);
        Assert.DoesNotContain("s3cr3t", list.Out);

        var json = await cli.RunAsync("secrets", "list", "--json", "--project", "claims");
        Assert.Equal("[{\"section\":\"claims\",\"key\":\"CLAIMS_DB\"}]", json.Out.Trim());

        Assert.Equal(0, (await cli.RunAsync("secrets", "unset", "WAREHOUSE_PW")).ExitCode);
        Assert.DoesNotContain("WAREHOUSE_PW", (await cli.RunAsync("secrets", "list")).Out);
    }

    [Fact]
    public async Task Doctor_prints_one_line_per_check_and_fails_before_init()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        var before = await cli.RunAsync("doctor");
        Assert.Equal(1, before.ExitCode);
        Assert.Contains("FAIL  state schema", before.Out);
        Assert.Contains("run 'pipekit init'", before.Out);

        await cli.RunAsync("init");
        await cli.RunAsync("secrets", "set", "K", "value1234");
        var after = await cli.RunAsync("doctor");
        Assert.Equal(0, after.ExitCode);
        Assert.Contains("ok    config", after.Out);
        Assert.Contains("ok    data directory", after.Out);
        Assert.Contains("ok    state schema", after.Out);
        Assert.Contains("ok    secrets", after.Out);
    }

    [Fact]
    public async Task Doctor_warns_when_the_secrets_file_is_readable_by_others()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        await cli.RunAsync("init");
        await cli.RunAsync("secrets", "set", "K", "value1234");
        File.SetUnixFileMode(home.File("secrets.toml"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead | UnixFileMode.GroupRead);
        var result = await cli.RunAsync("doctor");
        Assert.Contains("warn  secrets", result.Out);
    }

    [Fact]
    public async Task Set_password_stores_a_pbkdf2_hash_from_stdin()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        var result = await cli.RunWithInputAsync("hunter2-long-enough\n", "set-password", "admin", "--password-stdin");
        Assert.Equal(0, result.ExitCode);
        var tooShort = await cli.RunWithInputAsync("short\n", "set-password", "admin", "--password-stdin");
        Assert.Equal(2, tooShort.ExitCode);
        Assert.Contains("at least 8 characters", tooShort.Error);
    }

    [Fact]
    public async Task Every_command_has_help_and_version_prints()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        foreach (var command in new[] { new[] { "--help" }, ["init", "--help"], ["doctor", "--help"], ["secrets", "set", "--help"], ["set-password", "--help"], ["demo", "--help"] })
        {
            var result = await cli.RunAsync(command);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Usage:", result.Out);
        }
        var version = await cli.RunAsync("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Out.Trim());
    }
}
