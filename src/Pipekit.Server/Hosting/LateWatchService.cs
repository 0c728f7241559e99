using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Notifications;

namespace Pipekit.Server.Hosting;

/// <summary>
/// Every 30 s, sends the <c>late</c> alerts that are due (<see cref="LateWatch"/>); a failed check is logged and tried
/// again on the next tick.
/// </summary>
internal sealed class LateWatchService(LateWatch watch, TimeProvider time, ILogger<LateWatchService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(LateWatch.Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await watch.CheckAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning("Late-run check failed: {Error}; trying again in {Seconds} s", e.Message, LateWatch.Interval.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
