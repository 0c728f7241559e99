using Pipekit.Core.Transfer;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Runs;

/// <summary>
/// How a run is asked for, whoever asks: the CLI, the API and the scheduler differ in <see cref="TriggeredBy"/>; a caller
/// that waits for the run in its own process (the CLI) also gives progress, member reports and its own cancellation.
/// </summary>
public sealed record RunStart
{
    /// <summary><c>cli</c>, <c>api</c>, <c>manual</c>, <c>schedule:{id}</c> or <c>rerun:{group_run_id}</c>.</summary>
    public required string TriggeredBy { get; init; }

    public bool DryRun { get; init; }

    /// <summary>Transfer progress of each module run, at most once a second.</summary>
    public IProgress<TransferProgress>? Progress { get; init; }

    /// <summary>Told each stage of each module run as it starts (watermarks, transfer, merge, hooks).</summary>
    public IProgress<RunPhase>? Phases { get; init; }

    /// <summary>
    /// A group run of only these modules among the group's members, still in run order (a re-run of the members that
    /// failed); null runs every enabled member.
    /// </summary>
    public IReadOnlySet<long>? OnlyModules { get; init; }

    /// <summary>Told each member's result as a group run goes.</summary>
    public Action<Module, RunResult>? MemberFinished { get; init; }

    /// <summary>
    /// Cancels the run itself (the CLI's Ctrl-C or SIGTERM). A request's token is not this: a run started over the API
    /// outlives its request, and is cancelled through <see cref="RunCoordinator.CancelModuleAsync"/>.
    /// </summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Connections the caller started opening before the run was queued (see <see cref="ConnectionWarmup"/>); the run takes them.</summary>
    public ConnectionWarmup? Warmup { get; init; }
}
