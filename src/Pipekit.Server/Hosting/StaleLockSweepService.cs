using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Configuration;
using Pipekit.Sync.Locks;

namespace Pipekit.Server.Hosting;

/// <summary>
/// Every <c>[sync].stale_lock_sweep_seconds</c>, clears module locks held by processes on this host that are gone (a CLI
/// run killed with <c>kill -9</c> while the server runs) and marks the runs they left open as interrupted, so a
/// dashboard never shows a dead run as running and nothing waits for a start or a cancel to find it. The first sweep
/// is the one <see cref="RunQueueService"/> makes at startup; a failed sweep is logged and tried again on the next tick.
/// </summary>
internal sealed class StaleLockSweepService(StaleLockSweeper sweeper, PipekitConfig config, TimeProvider time, ILogger<StaleLockSweepService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(config.Sync.StaleLockSweepSeconds), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    var cleared = await sweeper.SweepAsync(stoppingToken);
                    if (cleared > 0) logger.LogWarning("Cleared {Count} module lock(s) held by processes that are gone", cleared);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogError(e, "Stale lock sweep failed; trying again in {Seconds} s", config.Sync.StaleLockSweepSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
