using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipekit.Chains.Collection;
using Pipekit.Chains.Jobs;
using Pipekit.Core.Configuration;

namespace Pipekit.Server.Hosting;

/// <summary>
/// Chains in <c>pipekit serve</c>: marks jobs a stopped server left running as failed, runs GC every
/// <c>[chains].gc_interval_seconds</c>, and on shutdown cancels running jobs and waits until each has recorded its end.
/// </summary>
internal sealed class ChainsService(ChainJobService jobs, LayerCollector collector, PipekitConfig config, TimeProvider time, ILogger<ChainsService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interrupted = await jobs.FailInterruptedAsync(stoppingToken);
        if (interrupted > 0) logger.LogWarning("Marked {Count} chain job(s) left running by a stopped server as failed", interrupted);
        var interval = TimeSpan.FromSeconds(config.Chains.GcIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await collector.CollectAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Chains GC failed; it tries again in {Interval}", interval);
            }
            try
            {
                await Task.Delay(interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (jobs.Running > 0) logger.LogInformation("Cancelling {Count} running chain job(s)", jobs.Running);
        await jobs.StopAsync().WaitAsync(cancellationToken);
    }
}
