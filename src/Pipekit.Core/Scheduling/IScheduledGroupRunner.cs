namespace Pipekit.Core.Scheduling;

/// <summary>
/// Starts a run of a group for the scheduler. Core knows no groups' contents; the Sync part implements this
/// with the same code path as a manual group run, so only <c>triggered_by</c> differs.
/// </summary>
public interface IScheduledGroupRunner
{
    /// <summary>Starts the run and returns its group_run id without waiting for it to finish.</summary>
    Task<long> StartScheduledRunAsync(long groupId, string triggeredBy, CancellationToken cancellationToken);
}
