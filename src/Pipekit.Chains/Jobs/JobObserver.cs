using Pipekit.Chains.State;

namespace Pipekit.Chains.Jobs;

/// <summary>Writes a running job's status, stage and log lines to the store as they happen, so any node can read them.</summary>
internal sealed class JobObserver(long jobId, ChainJobRepository jobs, TimeProvider time) : IChainRunObserver
{
    private string _status = ChainStages.Pending;

    public string? Stage { get; private set; }

    public Task StatusAsync(string status, CancellationToken cancellationToken)
    {
        _status = status;
        return jobs.SetProgressAsync(jobId, status, null, CancellationToken.None);
    }

    public Task StageAsync(string stage, CancellationToken cancellationToken)
    {
        Stage = stage;
        return jobs.SetProgressAsync(jobId, _status, stage, CancellationToken.None);
    }

    /// <summary>Records the tail on the job at once: a running or failing job shows its hash and hit, and GC on any node sees the layer it stands on.</summary>
    public Task TailAsync(Layers.TailState tail, CancellationToken cancellationToken) => jobs.SetTailAsync(jobId, tail, CancellationToken.None);

    public Task LogAsync(string line, CancellationToken cancellationToken) => jobs.AppendLogAsync(jobId, time.GetUtcNow(), line, CancellationToken.None);
}
