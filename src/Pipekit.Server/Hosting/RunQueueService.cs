using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipekit.Core.State;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Hosting;

/// <summary>
/// Brings the state store up to date and clears locks left by dead processes (their runs are marked interrupted)
/// before the server takes requests; on shutdown cancels every run of the queue and waits until each is recorded
/// and unlocked.
/// </summary>
internal sealed class RunQueueService(StateStore store, StaleLockSweeper sweeper, RunCoordinator coordinator, ILogger<RunQueueService> logger)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.EnsureReadyAsync(cancellationToken);
        var cleared = await sweeper.SweepAsync(cancellationToken);
        if (cleared > 0) logger.LogWarning("Cleared {Count} stale module lock(s) left by processes that exited", cleared);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var active = coordinator.Running + coordinator.Queued;
        if (active > 0) logger.LogInformation("Cancelling {Count} queued or running module run(s)", active);
        await coordinator.StopAsync().WaitAsync(cancellationToken);
    }
}
