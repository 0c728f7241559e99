using System.Runtime.InteropServices;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// <c>$PIPEKIT_HOME/cache/startup</c>: one shared profile per command and installation, replaced only by a rename,
/// and one private working directory per process that the runtime reads the shared profile from and, when the process
/// records, writes its new profile into at exit. The runtime writes a profile in thousands of small unbuffered writes
/// as the process ends, to the path it read it from, so two cron jobs starting together must never share that path,
/// and a process that does not need to record should not write at all:
/// <list type="bullet">
/// <item><b>Replaying</b> (the shared profile is fresh): the private directory holds a link to the shared profile while
/// the runtime reads it, and is deleted right after; the runtime's write at exit then finds no directory and writes
/// nothing.</item>
/// <item><b>Recording</b> (the profile is missing or stale): the private directory stays, with an owner file the process
/// keeps locked until it exits; a later command that can take that lock knows the recording is finished and moves it
/// over the shared profile in one rename.</item>
/// </list>
/// </summary>
internal sealed class StartupProfileDirectory
{
    internal const string RecordingSuffix = ".recording";
    private const string StartingSuffix = ".starting";
    private const string ReplaySuffix = ".replay";
    private const string OwnerFile = "owner.lock";
    private const string ProfilePattern = "*.jitprofile";

    /// <summary>A shared profile older than this is recorded afresh, so that a run that took an unusual path (an early failure) is not replayed for long.</summary>
    internal static readonly TimeSpan RefreshAfter = TimeSpan.FromHours(1);

    /// <summary>A private directory left behind by a process that died while starting (between two file operations) is removed after this.</summary>
    private static readonly TimeSpan LeftoverAfter = TimeSpan.FromMinutes(10);

    private readonly string _path;
    private readonly TimeProvider _time;

    public StartupProfileDirectory(string path, TimeProvider time)
    {
        _path = path;
        _time = time;
    }

    /// <summary>
    /// Moves every finished recording (its owner has exited, so its lock is free) over the shared profile it records,
    /// and removes private directories that crashed processes left behind. Recordings still running are left alone.
    /// </summary>
    public void AdoptFinishedRecordings()
    {
        var cutoff = _time.GetUtcNow().UtcDateTime - LeftoverAfter;
        foreach (var directory in Directory.EnumerateDirectories(_path))
        {
            try
            {
                switch (Path.GetExtension(directory))
                {
                    case RecordingSuffix:
                        using (new FileStream(Path.Combine(directory, OwnerFile), FileMode.Open, FileAccess.ReadWrite, FileShare.None))
                        {
                            foreach (var profile in Directory.EnumerateFiles(directory, ProfilePattern))
                                File.Move(profile, Path.Combine(_path, Path.GetFileName(profile)), overwrite: true);
                        }
                        Directory.Delete(directory, recursive: true);
                        break;
                    case StartingSuffix or ReplaySuffix when Directory.GetLastWriteTimeUtc(directory) < cutoff:
                        Directory.Delete(directory, recursive: true);
                        break;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A recording whose process still runs (the lock is held), or one another command is adopting right now.
            }
        }
    }

    /// <summary>
    /// True when the shared profile of <paramref name="name"/> was recorded within <see cref="RefreshAfter"/> and after
    /// the installation's assemblies were last written (<paramref name="installedAt"/>): a profile of an earlier build
    /// in the same directory names assemblies the runtime no longer matches, so it would replay nothing.
    /// </summary>
    public bool IsFresh(string name, DateTime installedAt)
    {
        var shared = new FileInfo(Path.Combine(_path, name));
        return shared.Exists && shared.Length > 0 && shared.LastWriteTimeUtc > installedAt
               && _time.GetUtcNow().UtcDateTime - shared.LastWriteTimeUtc < RefreshAfter;
    }

    /// <summary>A private directory from which the runtime replays the shared profile of <paramref name="name"/> without recording one.</summary>
    public Workspace OpenReplay(string name)
    {
        var directory = Directory.CreateDirectory(UniquePath(ReplaySuffix)).FullName;
        LinkShared(directory, name);
        return new Workspace(directory, name, Recording: false);
    }

    /// <summary>
    /// A private directory in which the runtime replays the shared profile of <paramref name="name"/> (when there is
    /// one) and records a new one at exit; locked by this process until it exits.
    /// </summary>
    public Workspace OpenRecording(string name)
    {
        var starting = Directory.CreateDirectory(UniquePath(StartingSuffix)).FullName;
        var owner = new FileStream(Path.Combine(starting, OwnerFile), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None);
        // The lock must outlive every managed object: the runtime writes the profile after the last of them has run,
        // and only the process's exit may release it. A handle that is never freed keeps the stream from finalization.
        GCHandle.Alloc(owner);
        var directory = Path.ChangeExtension(starting, RecordingSuffix);
        Directory.Move(starting, directory);
        LinkShared(directory, name);
        return new Workspace(directory, name, Recording: true);
    }

    private string UniquePath(string suffix) => Path.Combine(_path, Guid.NewGuid().ToString("N") + suffix);

    private void LinkShared(string directory, string name)
    {
        var shared = Path.Combine(_path, name);
        if (File.Exists(shared)) File.CreateSymbolicLink(Path.Combine(directory, name), shared);
    }

    /// <summary>A process's private directory: <see cref="Path"/> is the profile root to give the runtime.</summary>
    internal sealed record Workspace(string Path, string Name, bool Recording)
    {
        /// <summary>
        /// Called once the runtime has read the profile (it reads the whole file before <c>StartProfile</c> returns): the
        /// link goes, so a recording is written to a new file rather than through the link, and a replay's directory
        /// goes, so nothing is written at all.
        /// </summary>
        public void ProfileRead()
        {
            if (Recording) File.Delete(System.IO.Path.Combine(Path, Name));
            else Directory.Delete(Path, recursive: true);
        }
    }
}
