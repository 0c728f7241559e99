using Microsoft.Extensions.Hosting;

namespace Pipekit.Server.Hosting;

/// <summary>A host lifetime that leaves signals to <see cref="ShutdownSignals"/> (the console lifetime would swallow the second one).</summary>
internal sealed class ServeLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
