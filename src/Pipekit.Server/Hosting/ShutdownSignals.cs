using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Pipekit.Server.Hosting;

/// <summary>
/// SIGINT/SIGTERM for <c>pipekit serve</c>: the first stops the host gracefully (runs are cancelled, recorded as
/// cancelled and unlocked); a second one exits at once, for an operator who will not wait.
/// </summary>
internal sealed class ShutdownSignals : IDisposable
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger _logger;
    private readonly Action<int> _exit;
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    /// <param name="exit">Ends the process with a code; <see cref="Environment.Exit"/> unless a test watches it.</param>
    public ShutdownSignals(IHostApplicationLifetime lifetime, ILogger logger, Action<int>? exit = null)
    {
        _lifetime = lifetime;
        _logger = logger;
        _exit = exit ?? Environment.Exit;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; Receive(context.Signal); }),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; Receive(context.Signal); }),
        ];
    }

    /// <summary>One signal arrived: the first stops the host, any later one exits with 130 (SIGINT) or 143 (SIGTERM).</summary>
    internal void Receive(PosixSignal signal)
    {
        if (Interlocked.Increment(ref _received) == 1)
        {
            _logger.LogInformation("{Signal}: shutting down; in-flight runs are cancelled (send it again to exit at once)", signal);
            _lifetime.StopApplication();
            return;
        }
        _logger.LogWarning("{Signal} again: exiting now", signal);
        _exit(signal == PosixSignal.SIGINT ? 130 : 143);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
