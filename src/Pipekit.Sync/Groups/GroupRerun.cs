using Pipekit.Sync.Runs;

namespace Pipekit.Sync.Groups;

/// <summary>
/// "Re-run failed members": a new run of a finished group run's group with only the members that ended <c>error</c>
/// there, in the group's run order, as one new group run through <see cref="RunCoordinator"/> (so it queues, locks and
/// cancels like any group run). Its <c>triggered_by</c> is <c>rerun:{id}</c>, naming the group run it repeats. Members
/// that were deleted or disabled since, or left the group, are not run.
/// </summary>
public sealed class GroupRerun
{
    public const string TriggerPrefix = "rerun:";

    private readonly GroupRunRepository _groupRuns;
    private readonly RunLogRepository _runs;
    private readonly RunCoordinator _coordinator;

    public GroupRerun(GroupRunRepository groupRuns, RunLogRepository runs, RunCoordinator coordinator)
    {
        _groupRuns = groupRuns;
        _runs = runs;
        _coordinator = coordinator;
    }

    /// <summary>The module ids whose run in group run <paramref name="groupRunId"/> ended <c>error</c>.</summary>
    public async Task<IReadOnlySet<long>> FailedModulesAsync(long groupRunId, CancellationToken cancellationToken)
    {
        var members = await _runs.ListAsync(new RunFilter { GroupRunId = groupRunId, Limit = 1000, IncludeText = false }, cancellationToken);
        return members.Where(r => r.Status == RunStatus.Error && r.ModuleId is not null).Select(r => r.ModuleId!.Value).ToHashSet();
    }

    /// <summary>
    /// Starts the re-run and returns once its group_run row exists. A group run that does not exist is a
    /// <see cref="GroupRunNotFoundException"/>; one still running, or with no failed member, is a
    /// <see cref="RunConflictException"/> and starts nothing.
    /// </summary>
    public async Task<StartedGroupRun> RerunFailedAsync(long groupRunId, RunStart start, CancellationToken cancellationToken)
    {
        var groupRun = await _groupRuns.GetAsync(groupRunId, cancellationToken) ?? throw new GroupRunNotFoundException(groupRunId);
        if (!groupRun.Status.IsFinished())
            throw new RunConflictException($"group run {groupRunId} of group '{groupRun.GroupName}' has not ended; wait for it or cancel it first");
        var failed = await FailedModulesAsync(groupRunId, cancellationToken);
        if (failed.Count == 0)
            throw new RunConflictException($"group run {groupRunId} of group '{groupRun.GroupName}' has no failed members; nothing to re-run");
        return await _coordinator.StartGroupRunAsync(groupRun.GroupId,
            start with { TriggeredBy = TriggerPrefix + groupRunId.ToString(System.Globalization.CultureInfo.InvariantCulture), OnlyModules = failed },
            cancellationToken);
    }

    /// <summary>The group run id a <c>rerun:{id}</c> trigger names, or null for any other trigger.</summary>
    public static long? RerunOf(string? triggeredBy) =>
        triggeredBy is not null && triggeredBy.StartsWith(TriggerPrefix, StringComparison.Ordinal)
        && long.TryParse(triggeredBy.AsSpan(TriggerPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id)
            ? id : null;
}
