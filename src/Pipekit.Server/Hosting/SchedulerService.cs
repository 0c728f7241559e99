using Microsoft.Extensions.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Core.Scheduling;

namespace Pipekit.Server.Hosting;

/// <summary>Runs the cron <see cref="Scheduler"/> inside the server process while <c>[scheduler].enabled</c> is true.</summary>
internal sealed class SchedulerService(Scheduler scheduler, PipekitConfig config) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        config.Scheduler.Enabled ? scheduler.RunAsync(stoppingToken) : Task.CompletedTask;
}
