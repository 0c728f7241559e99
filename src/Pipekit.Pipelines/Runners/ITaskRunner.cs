namespace Pipekit.Pipelines.Runners;

/// <summary>Runs one attempt of a task. Cancellation (timeout, cancel) must stop everything the attempt started, then throw.</summary>
internal interface ITaskRunner
{
    Task<AttemptOutcome> RunAsync(TaskInvocation invocation, CancellationToken cancellationToken);
}
