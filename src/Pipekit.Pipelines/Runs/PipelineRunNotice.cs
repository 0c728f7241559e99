using Pipekit.Core.Notifications;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.State;

namespace Pipekit.Pipelines.Runs;

/// <summary>What the notifier is told when a pipeline run (or an attempt of it) ends: one notice, listing its failed tasks.</summary>
internal static class PipelineRunNotice
{
    public static async Task<RunNotice?> ReadAsync(PipelineRunRepository runs, long runId, CancellationToken cancellationToken)
    {
        var run = await runs.GetAsync(runId, cancellationToken);
        NoticeStatus? status = run?.Status switch
        {
            PipelineRunStatus.Success => NoticeStatus.Success,
            PipelineRunStatus.Failed => NoticeStatus.Failure,
            PipelineRunStatus.Cancelled => NoticeStatus.Cancelled,
            _ => null,
        };
        if (run is null || status is null) return null;
        var tasks = await runs.TasksAsync(runId, cancellationToken);
        return new RunNotice
        {
            TargetKind = NotificationRule.Pipeline,
            TargetName = run.DagName,
            RunId = run.Id,
            Status = status.Value,
            StatusText = run.Status.ToText(),
            Error = run.StatusDetail,
            StartedAt = run.StartedAt ?? run.CreatedAt,
            FinishedAt = run.FinishedAt ?? run.StartedAt ?? run.CreatedAt,
            RunPath = $"/pipeline-runs/{run.Id}",
            FailedMembers = tasks.Where(t => t.RunAttempt == run.Attempt && t.Status == TaskRunStatus.Failed)
                .Select(t => new NoticeMember(t.Task, run.Id, t.StatusDetail)).ToList(),
        };
    }
}
