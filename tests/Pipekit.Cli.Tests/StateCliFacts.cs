using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>The CLI on a PostgreSQL state store: init, doctor, and <c>pipekit state copy</c> from a SQLite store.</summary>
[Collection(PostgresCollection.Name)]
public sealed class StateCliFacts(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task State_copy_moves_a_SQLite_store_into_an_empty_database_that_init_and_doctor_then_use()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);
        Assert.Equal(0, (await cli.RunWithInputAsync("a-web-password-1\n", "set-password", "admin", "--password-stdin")).ExitCode);
        var url = await postgres.NewDatabaseUriAsync();

        var copy = await cli.RunAsync("state", "copy", "--to", url);

        Assert.True(copy.ExitCode == 0, copy.Error);
        Assert.Matches(@"settings\s+2\s+2", copy.Out);
        Assert.Matches(@"module\s+0\s+0", copy.Out);
        Assert.Contains("every table's count matches", copy.Out);

        var again = await cli.RunAsync("state", "copy", "--to", url);
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("is not empty (settings: 2)", again.Error);

        cli.Environment["PIPEKIT_STATE_URL"] = url;
        var init = await cli.RunAsync("init");
        Assert.Contains($"state store     postgres {url}", init.Out);
        Assert.Contains("already current", init.Out);
        var doctor = await cli.RunAsync("doctor");
        Assert.Matches($@"postgres store {System.Text.RegularExpressions.Regex.Escape(url)} at core 1, sync \d+, [a-z0-9 ,]+ \(current\)", doctor.Out);
    }

    [Fact]
    public async Task A_literal_password_is_refused_without_being_repeated()
    {
        using var home = new TempDirectory();
        var result = await new PipekitProcess(home.Path).RunAsync("state", "copy", "--to", "postgres://u@127.0.0.1:1/db", "--password", "hunter2-literal");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("must be a $NAME secret reference", result.Error);
        Assert.DoesNotContain("hunter2", result.Error + result.Out);
    }

    [Fact]
    public async Task Doctor_shows_an_unreachable_PostgreSQL_store_as_one_failing_line()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        cli.Environment["PIPEKIT_STATE_URL"] = $"postgres://pipekit@127.0.0.1:{FreePort.Next()}/state";

        var doctor = await cli.RunAsync("doctor");

        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("cannot reach the state store postgres://pipekit@127.0.0.1:", doctor.Out);
        Assert.Equal(0, (await cli.RunAsync("state", "copy", "--help")).ExitCode);
    }
}
