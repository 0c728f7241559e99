using Pipekit.Core.Scheduling;
using Pipekit.Sync.Runs;

namespace Pipekit.Sync.Groups;

/// <summary>Schedules of kind <c>group</c>: a fire starts a group run through the run queue, as a manual group run does.</summary>
internal sealed class GroupScheduleTarget(GroupRepository groups, RunCoordinator runs) : IScheduleTarget
{
    /// <summary>The <c>target_kind</c> of group schedules.</summary>
    public const string KindName = "group";

    public string Kind => KindName;

    public async Task<string?> FindNameAsync(long targetId, CancellationToken cancellationToken) =>
        (await groups.GetAsync(targetId, cancellationToken))?.Name;

    public Task<long> StartScheduledRunAsync(long targetId, string triggeredBy, CancellationToken cancellationToken) =>
        runs.StartGroupRunAsync(targetId, triggeredBy, dryRun: false, cancellationToken);
}
