namespace Pipekit.Chains.Jobs;

/// <summary>Hears a run's progress: status changes, stage starts and log lines, in order.</summary>
public interface IChainRunObserver
{
    Task StatusAsync(string status, CancellationToken cancellationToken);

    Task StageAsync(string stage, CancellationToken cancellationToken);

    Task LogAsync(string line, CancellationToken cancellationToken);

    /// <summary>The tail is prepared (found or built): its hash, layer, and hit or miss, known before the head runs.</summary>
    Task TailAsync(Layers.TailState tail, CancellationToken cancellationToken) => Task.CompletedTask;
}
