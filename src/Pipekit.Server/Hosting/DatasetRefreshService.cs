using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Configuration;
using Pipekit.Query.Catalog;

namespace Pipekit.Server.Hosting;

/// <summary>
/// Refreshes the query engine's views at startup and then every <c>[query].refresh_every</c>, so datasets changed by
/// another node, the external catalog or S3 show up without a restart. A failed refresh is logged and retried on the
/// next tick; it never stops the server.
/// </summary>
internal sealed class DatasetRefreshService(DatasetRegistrar registrar, PipekitConfig config, TimeProvider time, ILogger<DatasetRefreshService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(config.Query.RefreshEvery, time);
        do
        {
            try
            {
                await registrar.RefreshAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Dataset refresh failed; retrying in {Seconds} s", (int)config.Query.RefreshEvery.TotalSeconds);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
