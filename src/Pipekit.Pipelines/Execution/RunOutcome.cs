namespace Pipekit.Pipelines.Execution;

/// <summary>How a run (or a resume of it) ended, with one result per task of the DAG in declaration order.</summary>
public sealed record RunOutcome(PipelineRunStatus Status, string? Detail, IReadOnlyList<TaskResult> Tasks, DateTimeOffset StartedAt, DateTimeOffset FinishedAt);
