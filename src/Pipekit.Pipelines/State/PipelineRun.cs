using Pipekit.Pipelines.Execution;

namespace Pipekit.Pipelines.State;

/// <summary>One run of a DAG as stored; <see cref="Attempt"/> counts resumes.</summary>
public sealed record PipelineRun
{
    public long Id { get; init; }
    public long PipelineId { get; init; }
    public required string DagName { get; init; }
    public PipelineRunStatus Status { get; init; }
    public string? StatusDetail { get; init; }
    public required string TriggeredBy { get; init; }
    public string? OnlyTask { get; init; }
    public int Attempt { get; init; }
    public string? RunDir { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }

    public bool IsFinished => Status is PipelineRunStatus.Success or PipelineRunStatus.Failed or PipelineRunStatus.Cancelled or PipelineRunStatus.Skipped;
}
