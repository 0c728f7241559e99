using System.Runtime.InteropServices;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// Remembers whether SIGINT (Ctrl-C) or SIGTERM stopped the command, so that a command cancelled by one exits the way
/// shells and cron expect: 130 and 143 (128 + the signal number). System.CommandLine cancels the command's token on
/// both; this only records which one came.
/// </summary>
internal sealed class TerminationSignal : IDisposable
{
    private readonly List<PosixSignalRegistration> _registrations = [];
    private int _exitCode;

    /// <summary>130 after SIGINT, 143 after SIGTERM, null when no signal came.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is var code and > 0 ? code : null;

    public static TerminationSignal Listen()
    {
        var signal = new TerminationSignal();
        if (OperatingSystem.IsWindows() || OperatingSystem.IsBrowser()) return signal;
        // The handlers leave context.Cancel alone: System.CommandLine's own handler decides what the signal does.
        signal._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => signal.Record(ExitCodes.Interrupted)));
        signal._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => signal.Record(ExitCodes.Terminated)));
        return signal;
    }

    private void Record(int code) => Interlocked.CompareExchange(ref _exitCode, code, 0);

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
