using Microsoft.Extensions.Hosting;

namespace Pipekit.Server.Metrics;

/// <summary>Creates the exporter with the host, so its listener records from the first request on, not from the first scrape.</summary>
internal sealed class MetricsStartupService(PrometheusExporter exporter) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        GC.KeepAlive(exporter);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
