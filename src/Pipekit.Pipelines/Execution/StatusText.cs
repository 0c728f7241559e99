namespace Pipekit.Pipelines.Execution;

/// <summary>The snake_case words statuses are stored and printed as.</summary>
public static class StatusText
{
    public static string ToText(this TaskRunStatus status) => status switch
    {
        TaskRunStatus.Pending => "pending",
        TaskRunStatus.Running => "running",
        TaskRunStatus.Success => "success",
        TaskRunStatus.Failed => "failed",
        TaskRunStatus.Skipped => "skipped",
        TaskRunStatus.UpstreamFailed => "upstream_failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static string ToText(this PipelineRunStatus status) => status switch
    {
        PipelineRunStatus.Queued => "queued",
        PipelineRunStatus.Running => "running",
        PipelineRunStatus.Success => "success",
        PipelineRunStatus.Failed => "failed",
        PipelineRunStatus.Cancelled => "cancelled",
        PipelineRunStatus.Skipped => "skipped",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static TaskRunStatus ParseTask(string text) => text switch
    {
        "pending" => TaskRunStatus.Pending,
        "running" => TaskRunStatus.Running,
        "success" => TaskRunStatus.Success,
        "failed" => TaskRunStatus.Failed,
        "skipped" => TaskRunStatus.Skipped,
        "upstream_failed" => TaskRunStatus.UpstreamFailed,
        _ => throw new FormatException($"unknown task status '{text}'"),
    };

    public static PipelineRunStatus ParseRun(string text) => text switch
    {
        "queued" => PipelineRunStatus.Queued,
        "running" => PipelineRunStatus.Running,
        "success" => PipelineRunStatus.Success,
        "failed" => PipelineRunStatus.Failed,
        "cancelled" => PipelineRunStatus.Cancelled,
        "skipped" => PipelineRunStatus.Skipped,
        _ => throw new FormatException($"unknown run status '{text}'"),
    };
}
