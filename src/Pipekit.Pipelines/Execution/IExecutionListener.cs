namespace Pipekit.Pipelines.Execution;

/// <summary>Told as tasks start and end, to record them (the state store) or show them (the CLI). Calls may come from several threads.</summary>
public interface IExecutionListener
{
    Task TaskStartedAsync(string task, int attempt, DateTimeOffset startedAt, CancellationToken cancellationToken);

    Task TaskFinishedAsync(TaskResult result, CancellationToken cancellationToken);
}
