using System.Runtime;
using Pipekit.Core.Configuration;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// Multi-core start-up for short commands (the runtime's <see cref="ProfileOptimization"/>): a command records which
/// methods it compiled or loaded from the ReadyToRun image into
/// <c>$PIPEKIT_HOME/cache/startup/{command}.{installation}.jitprofile</c>, and later runs of the same command replay
/// that list on a background thread, so the type loading and compilation a cron job's <c>pipekit run</c> would do one
/// step at a time on its main thread is mostly done ahead of it on the machine's other core. A fresh profile is only
/// replayed; a missing one, one an hour old or one older than the installed build is recorded again in the process's
/// own directory and moved into place by a later command (<see cref="StartupProfileDirectory"/>). A profile recorded
/// by another build is ignored by the runtime (it matches each assembly's identity), so each installation (the
/// directory Pipekit runs from: a deployed release, the dev build) keeps its own, and two builds sharing a data
/// directory do not overwrite each other's. Off for the long-running server commands, when the data directory does not
/// exist yet (nothing is created beside a store that is not there), on one core, and with
/// <c>PIPEKIT_STARTUP_PROFILE=off</c>.
/// </summary>
internal static class StartupProfile
{
    public const string SwitchVariable = "PIPEKIT_STARTUP_PROFILE";

    /// <summary>
    /// The profile's file name for a command path and the installation running it (<c>pipekit modules list</c> →
    /// <c>modules-list.1a2b3c4d.jitprofile</c>).
    /// </summary>
    public static string FileNameOf(string commandPath, string installation)
    {
        var words = commandPath.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1);
        return $"{string.Join('-', words)}.{InstallationKey(installation)}.jitprofile";
    }

    // FNV-1a over the directory's characters: stable across processes (string.GetHashCode is not) and loads no
    // cryptography on a start-up path.
    private static string InstallationKey(string installation)
    {
        var hash = 2166136261u;
        foreach (var c in installation)
        {
            hash ^= c;
            hash *= 16777619u;
        }
        return hash.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Starts replaying the profile of <paramref name="commandPath"/>, and recording a new one when it is not fresh
    /// (<see cref="StartupProfileDirectory.IsFresh"/>); never throws.
    /// </summary>
    public static void Start(string commandPath)
    {
        if (Environment.GetEnvironmentVariable(SwitchVariable) is { } setting
            && setting.Trim().ToLowerInvariant() is "off" or "0" or "false" or "no")
            return;
        // The runtime replays a profile only with a second core to compile on; one core would only pay for recording.
        if (Environment.ProcessorCount < 2) return;
        try
        {
            var home = PipekitHome.FromEnvironment();
            if (!Directory.Exists(home.Root)) return;
            Directory.CreateDirectory(home.StartupProfilesDirectory);
            var profiles = new StartupProfileDirectory(home.StartupProfilesDirectory, TimeProvider.System);
            profiles.AdoptFinishedRecordings();
            var name = FileNameOf(commandPath, AppContext.BaseDirectory);
            var workspace = profiles.IsFresh(name, InstalledAt()) ? profiles.OpenReplay(name) : profiles.OpenRecording(name);
            ProfileOptimization.SetProfileRoot(workspace.Path);
            ProfileOptimization.StartProfile(name);
            workspace.ProfileRead();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A read-only data directory runs without the profile: slower to start, otherwise the same.
        }
    }

    /// <summary>When Pipekit's own assemblies in the running installation were last written (built, published, deployed).</summary>
    private static DateTime InstalledAt() =>
        Directory.EnumerateFiles(AppContext.BaseDirectory, "Pipekit.*.dll").Select(File.GetLastWriteTimeUtc).DefaultIfEmpty(DateTime.MaxValue).Max();
}
