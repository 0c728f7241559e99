namespace Pipekit.Pipelines.Execution;

/// <summary>Where a run of a DAG stands.</summary>
public enum PipelineRunStatus
{
    /// <summary>Waiting for a running run of the same DAG (overlap = "wait").</summary>
    Queued,
    Running,
    Success,

    /// <summary>A task failed or was upstream-failed, or the whole-run timeout passed.</summary>
    Failed,
    Cancelled,

    /// <summary>Not started: overlap = "skip" met a running run, or a required DAG had not succeeded; the detail says which.</summary>
    Skipped,
}
