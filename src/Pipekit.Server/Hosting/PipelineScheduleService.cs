using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Configuration;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.Scheduling;

namespace Pipekit.Server.Hosting;

/// <summary>
/// Keeps the <c>pipeline</c> schedules equal to the workspace's <c>[dag].schedule</c> keys (at start, then every minute, as
/// projects are files edited outside Pipekit), and closes runs left open by a process that died.
/// </summary>
internal sealed class PipelineScheduleService(PipelineScheduleSync sync, PipelineRunService runs, PipekitConfig config, TimeProvider time,
    ILogger<PipelineScheduleService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!config.Scheduler.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await runs.CloseAbandonedAsync(stoppingToken);
                foreach (var change in await sync.SyncAsync(stoppingToken))
                    logger.LogInformation("Pipelines: {Change}", change);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning("Pipelines: syncing schedules from the workspace failed: {Error}", ex.Message);
            }
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
