namespace Pipekit.Pipelines.Runs;

/// <summary>What to run: a DAG, optionally one task alone, by whom; <see cref="Force"/> overrides unmet <c>requires</c>.</summary>
public sealed record PipelineRunRequest
{
    public required string Dag { get; init; }

    /// <summary>Single-task mode: only this task runs, without its dependencies.</summary>
    public string? OnlyTask { get; init; }

    public bool Force { get; init; }

    public string TriggeredBy { get; init; } = "manual";

    /// <summary>Each line of task output as <c>[task] line</c> (<c>--verbose</c>).</summary>
    public Action<string>? Output { get; init; }
}
