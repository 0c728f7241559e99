namespace Pipekit.Core.Scheduling;

/// <summary>
/// One kind of thing a schedule can start (Sync: <c>group</c>; Pipelines: <c>pipeline</c>). The part that owns the
/// kind registers one; the scheduler starts runs through it with the same code path as a manual run, so only
/// <c>triggered_by</c> differs.
/// </summary>
public interface IScheduleTarget
{
    /// <summary>The <c>target_kind</c> stored on schedules, e.g. <c>group</c>.</summary>
    string Kind { get; }

    /// <summary>The target's name, or null when no target of this kind has that id.</summary>
    Task<string?> FindNameAsync(long targetId, CancellationToken cancellationToken);

    /// <summary>Starts a run and returns the id of what it started (a group_run, a pipeline_run) without waiting for it.</summary>
    Task<long> StartScheduledRunAsync(long targetId, string triggeredBy, CancellationToken cancellationToken);
}
