using System.Runtime.InteropServices;

namespace Pipekit.Cli.Hosting;

/// <summary>
/// SIGINT (Ctrl-C) and SIGTERM for a command: the first one cancels the command's token (a run records itself as
/// cancelled and releases its lock; serve cancels every run) and the command then exits the way shells and cron expect,
/// 130 or 143 (128 + the signal number). If it has not finished <see cref="GracePeriod"/> later the process exits with
/// that code anyway (<see cref="ProcessEnd"/>); a second signal ends it at once.
/// </summary>
/// <remarks>
/// System.CommandLine's own handling is not used: its handler waits for the command inside the signal callback, so a
/// second handler could not learn which signal came before the command had already returned its exit code.
/// </remarks>
internal sealed class TerminationSignal : IDisposable
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(30);

    private readonly List<PosixSignalRegistration> _registrations = [];
    private readonly CancellationTokenSource _cancellation = new();
    private int _exitCode;
    private Timer? _deadline;

    /// <summary>Cancelled by the first signal.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>130 after SIGINT, 143 after SIGTERM, null when no signal came.</summary>
    public int? ExitCode => Volatile.Read(ref _exitCode) is var code and > 0 ? code : null;

    public static TerminationSignal Listen()
    {
        var signal = new TerminationSignal();
        if (OperatingSystem.IsWindows() || OperatingSystem.IsBrowser()) return signal;
        signal._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, c => signal.OnSignal(c, ExitCodes.Interrupted)));
        signal._registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => signal.OnSignal(c, ExitCodes.Terminated)));
        return signal;
    }

    private void OnSignal(PosixSignalContext context, int code)
    {
        // A second signal gets the default behaviour: the process ends now.
        if (Interlocked.CompareExchange(ref _exitCode, code, 0) != 0) return;
        context.Cancel = true;
        _deadline = new Timer(_ => ProcessEnd.Exit(code), null, GracePeriod, Timeout.InfiniteTimeSpan);
        // Off the signal thread: the token's callbacks may do real work (a run records its end).
        _ = Task.Run(() => _cancellation.Cancel());
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
        _deadline?.Dispose();
        _cancellation.Dispose();
    }
}
