namespace Pipekit.Pipelines.Execution;

/// <summary>Where a task of a run stands.</summary>
public enum TaskRunStatus
{
    Pending,
    Running,
    Success,
    Failed,

    /// <summary>Not run: the run was cancelled or timed out first, or single-task mode left it out.</summary>
    Skipped,

    /// <summary>Not run because a task it depends on (directly or not) failed.</summary>
    UpstreamFailed,
}
