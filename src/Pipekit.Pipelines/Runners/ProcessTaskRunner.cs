using Pipekit.Pipelines.Projects;

namespace Pipekit.Pipelines.Runners;

/// <summary>
/// python, bash and custom (<c>"$ command args"</c>, the script path appended) tasks, each a process started from the
/// run's snapshot directory.
/// </summary>
internal sealed class ProcessTaskRunner(string python) : ITaskRunner
{
    public Task<AttemptOutcome> RunAsync(TaskInvocation invocation, CancellationToken cancellationToken)
    {
        var script = invocation.ScriptPath;
        IReadOnlyList<string> command = invocation.Runner.Kind switch
        {
            RunnerKind.Python => [python, script],
            RunnerKind.Bash => ["bash", script],
            // "$@" passes the script path as one argument whatever it contains; the command itself is shell text.
            RunnerKind.Custom => ["sh", "-c", invocation.Runner.Command + " \"$@\"", "sh", script],
            _ => throw new ArgumentException($"{invocation.Runner} is not a process runner", nameof(invocation)),
        };
        return TaskProcess.RunAsync(command, invocation.SnapshotDirectory, invocation.Environment, invocation.Log, cancellationToken);
    }
}
