using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.State;

namespace Pipekit.Pipelines.Runs;

// Writes task starts and ends of one run attempt to task_run as the executor reports them.
internal sealed class RunRecorder(PipelineRunRepository runs, long runId, int attempt, IExecutionListener? next) : IExecutionListener
{
    public async Task TaskStartedAsync(string task, int taskAttempt, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        await runs.TaskStartedAsync(runId, attempt, task, taskAttempt, startedAt, cancellationToken);
        if (next is not null) await next.TaskStartedAsync(task, taskAttempt, startedAt, cancellationToken);
    }

    public async Task TaskFinishedAsync(TaskResult result, CancellationToken cancellationToken)
    {
        await runs.TaskFinishedAsync(runId, attempt, result, cancellationToken);
        if (next is not null) await next.TaskFinishedAsync(result, cancellationToken);
    }
}
