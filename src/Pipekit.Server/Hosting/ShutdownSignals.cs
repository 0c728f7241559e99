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
    private readonly PosixSignalRegistration[] _registrations;
    private int _received;

    public ShutdownSignals(IHostApplicationLifetime lifetime, ILogger logger)
    {
        _lifetime = lifetime;
        _logger = logger;
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];
    }

    private void Handle(PosixSignalContext context)
    {
        context.Cancel = true;
        if (Interlocked.Increment(ref _received) == 1)
        {
            _logger.LogInformation("{Signal}: shutting down; in-flight runs are cancelled (send it again to exit at once)", context.Signal);
            _lifetime.StopApplication();
            return;
        }
        _logger.LogWarning("{Signal} again: exiting now", context.Signal);
        Environment.Exit(context.Signal == PosixSignal.SIGINT ? 130 : 143);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations) registration.Dispose();
    }
}
