using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Cli.Tests;

/// <summary>
/// The multi-core start-up profile, driven as cron drives the CLI (a real process each time): a command records its
/// profile in its own directory, the next command moves it into place, and later runs replay it without writing; help,
/// the switch and a missing data directory record nothing.
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
    public async Task A_command_records_its_profile_the_next_moves_it_into_place_and_later_runs_only_replay_it()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);
        var directory = ProfileDirectory(home);

        // The first run records in its own directory, which stays for the next command to adopt.
        var first = await cli.RunAsync("connections", "list");
        Assert.Equal(0, first.ExitCode);
        var recording = Assert.Single(Directory.GetDirectories(directory, "*" + StartupProfileDirectory.RecordingSuffix));
        var recorded = Assert.Single(Directory.GetFiles(recording, "connections-list.*.jitprofile"));
        Assert.True(new FileInfo(recorded).Length > 0);
        Assert.Empty(Directory.GetFiles(directory, "connections-list.*.jitprofile"));

        // The second run moves it into place and replays it: the command itself behaves the same, and nothing is left
        // behind (no recording of its own, since the profile is fresh).
        var second = await cli.RunAsync("connections", "list");
        Assert.Equal((first.ExitCode, first.Out, first.Error), (second.ExitCode, second.Out, second.Error));
        var shared = Assert.Single(Directory.GetFiles(directory, "connections-list.*.jitprofile"));
        Assert.Equal(new FileInfo(recorded).Name, new FileInfo(shared).Name);
        Assert.Empty(Directory.GetDirectories(directory));
        var written = File.GetLastWriteTimeUtc(shared);
        var bytes = await File.ReadAllBytesAsync(shared);

        // A third run only replays: the shared profile is not written again.
        var third = await cli.RunAsync("connections", "list");
        Assert.Equal((first.ExitCode, first.Out, first.Error), (third.ExitCode, third.Out, third.Error));
        Assert.Equal(written, File.GetLastWriteTimeUtc(shared));
        Assert.Equal(bytes, await File.ReadAllBytesAsync(shared));
        Assert.Empty(Directory.GetDirectories(directory));

        // An hour-old profile is recorded afresh (and still replayed meanwhile).
        File.SetLastWriteTimeUtc(shared, DateTime.UtcNow - StartupProfileDirectory.RefreshAfter - TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await cli.RunAsync("connections", "list")).ExitCode);
        Assert.Single(Directory.GetDirectories(directory, "*" + StartupProfileDirectory.RecordingSuffix));
        Assert.Equal(0, (await cli.RunAsync("connections", "list")).ExitCode);
        Assert.True(File.GetLastWriteTimeUtc(shared) > DateTime.UtcNow - TimeSpan.FromMinutes(5), "the refreshed recording was not moved into place");
        Assert.Empty(Directory.GetDirectories(directory));
    }

    [Fact]
    public async Task Commands_started_together_each_record_in_their_own_directory_and_one_profile_lands_whole()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);
        var directory = ProfileDirectory(home);

        var together = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => cli.RunAsync("connections", "list")));
        Assert.All(together, r => Assert.Equal(0, r.ExitCode));
        var recordings = Directory.GetDirectories(directory, "*" + StartupProfileDirectory.RecordingSuffix);
        Assert.NotEmpty(recordings);
        Assert.All(recordings, r => Assert.Single(Directory.GetFiles(r, "*.jitprofile")));
        var sizes = recordings.Select(r => new FileInfo(Directory.GetFiles(r, "*.jitprofile")[0]).Length).ToHashSet();

        Assert.Equal(0, (await cli.RunAsync("connections", "list")).ExitCode);
        var shared = Assert.Single(Directory.GetFiles(directory, "connections-list.*.jitprofile"));
        Assert.Contains(new FileInfo(shared).Length, sizes);
        Assert.Empty(Directory.GetDirectories(directory));
    }

    [Fact]
    public void A_recording_whose_process_still_runs_is_not_adopted()
    {
        using var home = new TempDirectory();
        var directory = Directory.CreateDirectory(ProfileDirectory(home)).FullName;
        var profiles = new StartupProfileDirectory(directory, TimeProvider.System);
        var workspace = profiles.OpenRecording("run.0000abcd.jitprofile");
        workspace.ProfileRead();
        // What the runtime writes at exit; this process still holds the owner lock.
        File.WriteAllBytes(Path.Combine(workspace.Path, workspace.Name), [1, 2, 3]);

        profiles.AdoptFinishedRecordings();
        Assert.True(File.Exists(Path.Combine(workspace.Path, workspace.Name)));
        Assert.False(File.Exists(Path.Combine(directory, workspace.Name)));
    }

    [Fact]
    public void A_profile_is_fresh_only_when_recorded_within_the_hour_and_after_the_installation_was_built()
    {
        using var home = new TempDirectory();
        var directory = Directory.CreateDirectory(ProfileDirectory(home)).FullName;
        var profiles = new StartupProfileDirectory(directory, TimeProvider.System);
        const string name = "run.0000abcd.jitprofile";
        Assert.False(profiles.IsFresh(name, DateTime.MinValue));

        var shared = Path.Combine(directory, name);
        File.WriteAllBytes(shared, [1, 2, 3]);
        var recorded = DateTime.UtcNow - TimeSpan.FromMinutes(5);
        File.SetLastWriteTimeUtc(shared, recorded);
        Assert.True(profiles.IsFresh(name, recorded - TimeSpan.FromDays(1)));
        // A build installed after the profile was recorded: its assemblies' identities no longer match.
        Assert.False(profiles.IsFresh(name, recorded + TimeSpan.FromMinutes(1)));
        File.SetLastWriteTimeUtc(shared, DateTime.UtcNow - StartupProfileDirectory.RefreshAfter - TimeSpan.FromMinutes(1));
        Assert.False(profiles.IsFresh(name, DateTime.MinValue));
    }

    [Fact]
    public async Task Help_the_off_switch_and_a_missing_data_directory_record_nothing()
    {
        using var home = new TempDirectory();
        var cli = new PipekitProcess(home.Path);
        Assert.Equal(0, (await cli.RunAsync("init")).ExitCode);
        Directory.Delete(ProfileDirectory(home), recursive: true);
        Directory.CreateDirectory(ProfileDirectory(home));

        Assert.Equal(0, (await cli.RunAsync("modules", "list", "--help")).ExitCode);
        cli.Environment[StartupProfile.SwitchVariable] = "off";
        Assert.Equal(0, (await cli.RunAsync("modules", "list")).ExitCode);
        Assert.Empty(Directory.GetFileSystemEntries(ProfileDirectory(home)));

        // A data directory that does not exist is not created for the profile's sake.
        var missing = Path.Combine(home.Path, "not-there");
        var elsewhere = new PipekitProcess(missing);
        await elsewhere.RunAsync("connections", "list");
        Assert.False(Directory.Exists(Path.Combine(missing, "cache")), "the profile created a cache directory in a data directory that was not there");
    }
}
