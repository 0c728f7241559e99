using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Server.Hosting;
using Xunit;

namespace Pipekit.Server.Tests.Process;

/// <summary>
/// The signal policy of <c>pipekit serve</c>. A real second signal cannot be sent reliably in a test (two quick
/// signals of one kind may arrive as one), so the policy is driven through <see cref="ShutdownSignals.Receive"/>.
/// </summary>
public sealed class ShutdownSignalsFacts
{
    [Theory]
    [InlineData(PosixSignal.SIGTERM, 143)]
    [InlineData(PosixSignal.SIGINT, 130)]
    public void The_first_signal_stops_gracefully_and_the_second_exits_at_once(PosixSignal signal, int code)
    {
        var lifetime = new RecordingLifetime();
        var exits = new List<int>();
        using var signals = new ShutdownSignals(lifetime, NullLogger.Instance, exits.Add);

        signals.Receive(signal);
        Assert.Equal(1, lifetime.StopRequests);
        Assert.Empty(exits);

        signals.Receive(signal);
        Assert.Equal(1, lifetime.StopRequests);
        Assert.Equal([code], exits);
    }

    private sealed class RecordingLifetime : IHostApplicationLifetime
    {
        public int StopRequests { get; private set; }

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => CancellationToken.None;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void StopApplication() => StopRequests++;
    }
}
