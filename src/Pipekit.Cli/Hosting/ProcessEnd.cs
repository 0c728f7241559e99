using System.Runtime.InteropServices;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// Ends the process with an exit code after a signal's grace period, even when the runtime's orderly exit cannot finish:
/// <see cref="Environment.Exit"/> first runs every exit handler a library registered (Microsoft.Data.Sqlite clears its
/// connection pools there), and one that waits on the very work that did not stop would keep a cron job's process alive
/// for ever. The orderly exit gets <see cref="HandlersGrace"/>; then the process ends without it.
/// </summary>
internal static partial class ProcessEnd
{
    public static readonly TimeSpan HandlersGrace = TimeSpan.FromSeconds(5);

    public static void Exit(int code)
    {
        if (!OperatingSystem.IsWindows())
        {
            var watchdog = new Thread(() =>
            {
                Thread.Sleep(HandlersGrace);
                ExitWithoutHandlers(code);
            }) { IsBackground = true, Name = "pipekit exit watchdog" };
            watchdog.Start();
        }
        Environment.Exit(code);
    }

    // _exit(2): the process ends now, with no exit handler run and no buffer flushed.
    [LibraryImport("libc", EntryPoint = "_exit")]
    private static partial void ExitWithoutHandlers(int status);
}
