using Pipekit.Pipelines.Projects;

namespace Pipekit.Pipelines.Execution;

/// <summary>What one execution of a DAG does: which tasks, where, how many at once.</summary>
public sealed record ExecutionPlan
{
    public required PitProject Project { get; init; }

    /// <summary>The run's id as tasks see it in <c>PIT_RUN_ID</c>.</summary>
    public required string RunId { get; init; }

    /// <summary><c>runs/&lt;run_id&gt;</c>: holds <c>project/</c> (the snapshot) and <c>logs/</c>.</summary>
    public required string RunDirectory { get; init; }

    public int MaxParallelTasks { get; init; } = 4;

    /// <summary>Single-task mode: run only this task, without its dependencies.</summary>
    public string? OnlyTask { get; init; }

    /// <summary>Resume: tasks that succeeded in an earlier attempt of this run; they count as done and do not run.</summary>
    public IReadOnlySet<string> AlreadySucceeded { get; init; } = new HashSet<string>();

    /// <summary>
    /// Resume: tasks the earlier attempt did not run that the resume leaves out (the run stopped before them, and they wait
    /// for no failure), with why they did not run then; they are recorded <c>skipped</c> again and never start.
    /// </summary>
    public IReadOnlyDictionary<string, string> NotRerun { get; init; } = new Dictionary<string, string>();

    /// <summary>Resume: the snapshot exists already and must be reused as it is.</summary>
    public bool ReuseSnapshot { get; init; }

    /// <summary>Each line of task output as <c>[task] line</c> (<c>--verbose</c>); null to only write the logs.</summary>
    public Action<string>? Output { get; init; }

    public IExecutionListener? Listener { get; init; }

    public string SnapshotDirectory => Path.Combine(RunDirectory, "project");

    public string LogsDirectory => Path.Combine(RunDirectory, "logs");

    public string LogPath(string task) => Path.Combine(LogsDirectory, task + ".log");
}
