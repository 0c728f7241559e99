using Pipekit.Core.Transfer;

namespace Pipekit.Sync.Runs;

/// <summary>How a module run was asked for. The CLI, the API, groups and the scheduler differ only here.</summary>
public sealed record RunOptions
{
    public bool DryRun { get; init; }

    /// <summary><c>manual</c>, <c>cli</c>, <c>api</c> or <c>schedule:{id}</c>.</summary>
    public string TriggeredBy { get; init; } = "manual";

    public long? GroupRunId { get; init; }

    /// <summary>A run_log row already created as <c>queued</c> (by the server's run queue) that this run takes over.</summary>
    public long? QueuedRunId { get; init; }

    /// <summary>Told the run id as soon as the run_log row exists.</summary>
    public Action<long>? Started { get; init; }

    /// <summary>Transfer progress, at most once a second.</summary>
    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>Told each stage as the run enters it.</summary>
    public IProgress<RunPhase>? Phases { get; init; }

    /// <summary>Connections the caller started opening before the run was queued (see <see cref="ConnectionWarmup"/>); the run takes them.</summary>
    public ConnectionWarmup? Warmup { get; init; }
}
