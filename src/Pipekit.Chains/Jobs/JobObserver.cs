using Microsoft.Extensions.Logging;
using Pipekit.Chains.State;

namespace Pipekit.Chains.Jobs;

/// <summary>
/// Writes a running job's status, stage and log lines to the store, so any node can read them. The writes happen in
/// order behind the run (a job does not wait on the store for each line); <see cref="FlushAsync"/> waits for all of
/// them, and the job records its end only after that. The tail is written at once: GC on other nodes must see the
/// layer the job stands on before the job clones it.
/// </summary>
internal sealed class JobObserver(long jobId, ChainJobRepository jobs, TimeProvider time, ILogger logger) : IChainRunObserver
{
    private readonly Lock _lock = new();
    private Task _written = Task.CompletedTask;
    private string _status = ChainStages.Pending;

    public string? Stage { get; private set; }

    public Task StatusAsync(string status, CancellationToken cancellationToken)
    {
        _status = status;
        Enqueue(() => jobs.SetProgressAsync(jobId, status, null, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task StageAsync(string stage, CancellationToken cancellationToken)
    {
        Stage = stage;
        var status = _status;
        Enqueue(() => jobs.SetProgressAsync(jobId, status, stage, CancellationToken.None));
        return Task.CompletedTask;
    }

    public Task TailAsync(Layers.TailState tail, CancellationToken cancellationToken) =>
        Enqueue(() => jobs.SetTailAsync(jobId, tail, CancellationToken.None));

    public Task LogAsync(string line, CancellationToken cancellationToken)
    {
        var at = time.GetUtcNow();
        Enqueue(() => jobs.AppendLogAsync(jobId, at, line, CancellationToken.None));
        return Task.CompletedTask;
    }

    /// <summary>Waits until every write queued so far is in the store.</summary>
    public Task FlushAsync()
    {
        lock (_lock) return _written;
    }

    private Task Enqueue(Func<Task> write)
    {
        lock (_lock)
        {
            var previous = _written;
            _written = Task.Run(async () =>
            {
                await previous;
                try
                {
                    await write();
                }
                catch (Exception ex)
                {
                    // A line that cannot be written now is lost, not the job: its end is recorded all the same.
                    logger.LogWarning("Could not record progress of chain job {JobId}: {Error}", jobId, ex.Message);
                }
            });
            return _written;
        }
    }
}
