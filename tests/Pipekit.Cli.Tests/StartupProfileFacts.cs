using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>
/// The multi-core start-up profile, driven as cron drives the CLI (a real process each time): a command records its
/// profile in the data directory and replays it the next time; help, the switch and a missing data directory record
/// nothing.
/// </summary>
public sealed class StartupProfileFacts
{
    private static string ProfileDirectory(TempDirectory home) => new PipekitHome(home.Path).StartupProfilesDirectory;

    [Fact]
    public void A_command_path_names_its_profile_file()
    {
        var run = StartupProfile.FileNameOf("pipekit run", "/opt/pipekit/releases/1/");
        Assert.Matches("^run\\.[0-9a-f]{8}\\.jitprofile$", run);
        Assert.Equal(run, StartupProfile.FileNameOf("pipekit run", "/opt/pipekit/releases/1/"));
        Assert.Matches("^modules-list\\.[0-9a-f]{8}\\.jitprofile$", StartupProfile.FileNameOf("pipekit modules list", "/opt/pipekit/releases/1/"));
        // Another installation keeps its own profile.
        Assert.NotEqual(run, StartupProfile.FileNameOf("pipekit run", "/work/pipekit/src/Pipekit.Cli/bin/Release/"));
    }

    [Fact]
    public async Task A_command_records_its_profile_and_the_next_run_replays_it_with_the_same_result()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);

        var first = await cli.RunAsync("connections", "list");
        Assert.Equal(0, first.ExitCode);
        var profile = Assert.Single(Directory.GetFiles(ProfileDirectory(home), "connections-list.*.jitprofile"));
        Assert.True(new FileInfo(profile).Length > 0);

        // The second run starts from the profile (and records it again): the command itself behaves the same.
        var second = await cli.RunAsync("connections", "list");
        Assert.Equal((first.ExitCode, first.Out, first.Error), (second.ExitCode, second.Out, second.Error));
        Assert.True(File.Exists(profile));
    }

    [Fact]
    public async Task Help_the_off_switch_and_a_missing_data_directory_record_nothing()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);
        foreach (var file in Directory.GetFiles(ProfileDirectory(home))) File.Delete(file);

        Assert.Equal(0, (await cli.RunAsync("modules", "list", "--help")).ExitCode);
        cli.Environment[StartupProfile.SwitchVariable] = "off";
        Assert.Equal(0, (await cli.RunAsync("modules", "list")).ExitCode);
        Assert.Empty(Directory.GetFiles(ProfileDirectory(home)));

        // A data directory that does not exist is not created for the profile's sake.
        var missing = Path.Combine(home.Path, "not-there");
        var elsewhere = new PipekitProcess(missing);
        await elsewhere.RunAsync("connections", "list");
        Assert.False(Directory.Exists(Path.Combine(missing, "cache")), "the profile created a cache directory in a data directory that was not there");
    }
}
