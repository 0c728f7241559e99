namespace Pipekit.Chains.Jobs;

/// <summary>Hears a run's progress: status changes, stage starts and log lines, in order.</summary>
public interface IChainRunObserver
{
    Task StatusAsync(string status, CancellationToken cancellationToken);

    Task StageAsync(string stage, CancellationToken cancellationToken);

    Task LogAsync(string line, CancellationToken cancellationToken);
}
