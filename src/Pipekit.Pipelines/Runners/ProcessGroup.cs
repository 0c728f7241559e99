using System.Runtime.InteropServices;

namespace Pipekit.Pipelines.Runners;

// Signals to a task's process group. Each task process starts through setsid(1), so it leads a session and a process
// group of its own whose id is its pid; everything it forks stays in that group unless it leaves on purpose, so
// one kill(-pgid) reaches the whole tree, including grandchildren whose parent already exited.
internal static partial class ProcessGroup
{
    public const int SigTerm = 15;
    public const int SigKill = 9;

    public static void Signal(int pgid, int signal)
    {
        // The group may not exist yet (setsid has not run) or any more; signalling the leader itself covers the first case.
        _ = Kill(-pgid, signal);
        _ = Kill(pgid, signal);
    }

    /// <summary>Whether any process of the group is still alive.</summary>
    public static bool Exists(int pgid) => Kill(-pgid, 0) == 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
