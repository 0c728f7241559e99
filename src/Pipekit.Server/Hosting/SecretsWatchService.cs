using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Hosting;

/// <summary>
/// Watches the secrets file while the server runs, so that a secret set with <c>pipekit secrets set</c> is read as soon
/// as the file changes. The store also checks the file's modification time on every use, so nothing waits on the watch;
/// it catches the changes a timestamp cannot show.
/// </summary>
internal sealed class SecretsWatchService(SecretStore secrets, ILogger<SecretsWatchService> logger) : IHostedService
{
    private IDisposable? _watch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            _watch = secrets.Watch();
        }
        catch (Exception ex) when (ex is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // inotify limits reached, say: the check on use still rereads a changed file
            logger.LogWarning("Cannot watch secrets file {SecretsPath} ({Reason}); changes are still read on next use", secrets.Path, ex.Message);
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _watch?.Dispose();
        _watch = null;
        return Task.CompletedTask;
    }
}
