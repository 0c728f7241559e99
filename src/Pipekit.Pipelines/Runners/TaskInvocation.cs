using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;

namespace Pipekit.Pipelines.Runners;

/// <summary>One attempt of one task: what to run, where, with which environment, logging where.</summary>
internal sealed record TaskInvocation(
    PitProject Project,
    PitTask Task,
    RunnerChoice Runner,
    string SnapshotDirectory,
    IReadOnlyDictionary<string, string> Environment,
    TaskLog Log,
    SqlConnectionCache SqlConnections)
{
    /// <summary>The script inside the run's snapshot.</summary>
    public string ScriptPath => Path.GetFullPath(Task.Script, SnapshotDirectory);
}
