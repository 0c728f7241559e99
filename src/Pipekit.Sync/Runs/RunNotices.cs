using Pipekit.Core.Notifications;
using Pipekit.Sync.Groups;

namespace Pipekit.Sync.Runs;

/// <summary>
/// What the notifier is told when a module run or a group run ends, read from the run log after the run has recorded
/// its end. A group run is one notice listing its failed members; its members send none of their own.
/// </summary>
internal sealed class RunNotices(RunLogRepository runs, GroupRunRepository groupRuns)
{
    public async Task<RunNotice?> ModuleRunAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        if (run is null || StatusOf(run.Status) is not { } status || run.ModuleName is null) return null;
        return new RunNotice
        {
            TargetKind = NotificationRule.Module,
            TargetName = run.ModuleName,
            RunId = run.Id,
            Status = status,
            StatusText = run.Status.ToText(),
            Error = run.Error,
            RowCount = run.RowCount,
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt ?? run.StartedAt,
            RunPath = $"/runs/{run.Id}",
        };
    }

    public async Task<RunNotice?> GroupRunAsync(long groupRunId, CancellationToken cancellationToken)
    {
        var run = await groupRuns.GetAsync(groupRunId, cancellationToken);
        if (run is null || StatusOf(run.Status) is not { } status || run.GroupName is null) return null;
        var members = await runs.ListAsync(new RunFilter { GroupRunId = groupRunId, Limit = 10_000, IncludeText = false }, cancellationToken);
        return new RunNotice
        {
            TargetKind = NotificationRule.Group,
            TargetName = run.GroupName,
            RunId = run.Id,
            Status = status,
            StatusText = run.Status.ToText(),
            Error = members.Where(m => m.Status == RunStatus.Error).Select(m => $"{m.ModuleLabel}: {m.Error}").FirstOrDefault(),
            RowCount = members.Sum(m => m.RowCount ?? 0),
            StartedAt = run.StartedAt,
            FinishedAt = run.FinishedAt ?? run.StartedAt,
            RunPath = $"/group-runs/{run.Id}",
            FailedMembers = members.Where(m => m.Status == RunStatus.Error).OrderBy(m => m.Id)
                .Select(m => new NoticeMember(m.ModuleLabel, m.Id, m.Error)).ToList(),
        };
    }

    // A dry run changes nothing and reports nothing.
    private static NoticeStatus? StatusOf(RunStatus status) => status switch
    {
        RunStatus.Success => NoticeStatus.Success,
        RunStatus.Error => NoticeStatus.Failure,
        RunStatus.Cancelled => NoticeStatus.Cancelled,
        _ => null,
    };
}
