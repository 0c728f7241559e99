using System.Collections;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Configuration;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Runners;
using Pipekit.Pipelines.Sdk;

namespace Pipekit.Pipelines.Execution;

/// <summary>
/// Runs a DAG from a ready queue: a task starts as soon as every task it depends on has succeeded, with at most
/// <see cref="ExecutionPlan.MaxParallelTasks"/> running (no level-by-level barrier as in Pit). A failure marks
/// everything downstream <c>upstream_failed</c> while independent branches go on. Per-attempt and whole-run timeouts
/// and cancellation kill the tasks' process trees; tasks not started by then are <c>skipped</c>.
/// </summary>
public sealed class DagExecutor
{
    private readonly SecretStore _secrets;
    private readonly DriverRegistry _drivers;
    private readonly Redactor _redactor;
    private readonly TimeProvider _time;
    private readonly ISecretAudit? _audit;
    private readonly ILogger _logger;
    private readonly string _python;

    public DagExecutor(SecretStore secrets, DriverRegistry drivers, Redactor redactor, TimeProvider time, PipekitConfig config,
        ISecretAudit? audit = null, ILogger<DagExecutor>? logger = null)
    {
        _secrets = secrets;
        _drivers = drivers;
        _redactor = redactor;
        _time = time;
        _audit = audit;
        _python = config.Pipelines.Python;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public async Task<RunOutcome> ExecuteAsync(ExecutionPlan plan, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetUtcNow();
        var project = plan.Project;
        if (!plan.ReuseSnapshot) await RunSnapshot.CopyAsync(project.Directory, plan.SnapshotDirectory, cancellationToken);
        Directory.CreateDirectory(plan.LogsDirectory);

        using var sockets = SdkSocketDirectory.Create();
        await using var sqlConnections = new SqlConnectionCache();
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (project.Timeout is { } runTimeout) run.CancelAfter(runTimeout);
        var context = new RunContext(plan, sockets, sqlConnections, BaseEnvironment(plan), run.Token, cancellationToken);

        var tasks = project.Tasks;
        var results = new Dictionary<string, TaskResult>(StringComparer.Ordinal);
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        var dependents = tasks.ToDictionary(t => t.Name, _ => new List<PitTask>(), StringComparer.Ordinal);
        var ready = new Queue<PitTask>();
        foreach (var task in tasks)
        {
            if (plan.AlreadySucceeded.Contains(task.Name))
                results[task.Name] = new TaskResult(task.Name, TaskRunStatus.Success, 0, null, "succeeded in an earlier attempt of this run", null, null, plan.LogPath(task.Name));
            else if (plan.NotRerun.TryGetValue(task.Name, out var earlier))
                results[task.Name] = new TaskResult(task.Name, TaskRunStatus.Skipped, 0, null, $"not re-run by the resume (it depends on no failed task); earlier: {earlier}", null, null, null);
            else if (plan.OnlyTask is { } only && only != task.Name)
                results[task.Name] = new TaskResult(task.Name, TaskRunStatus.Skipped, 0, null, $"single-task run of '{only}'", null, null, null);
        }
        foreach (var task in tasks.Where(t => !results.ContainsKey(t.Name)))
        {
            // Single-task mode skips the task's dependencies; otherwise each unfinished dependency must succeed first.
            var waitingFor = plan.OnlyTask is null ? task.DependsOn.Where(d => !results.ContainsKey(d)).ToList() : [];
            foreach (var dependency in waitingFor) dependents[dependency].Add(task);
            remaining[task.Name] = waitingFor.Count;
            if (waitingFor.Count == 0) ready.Enqueue(task);
        }
        foreach (var result in results.Values) await NotifyFinishedAsync(plan, result);

        var completions = Channel.CreateUnbounded<TaskResult>(new UnboundedChannelOptions { SingleReader = true });
        var running = 0;
        var maxParallel = Math.Max(1, plan.MaxParallelTasks);
        void StartReady()
        {
            while (running < maxParallel && ready.Count > 0 && !run.IsCancellationRequested)
            {
                var task = ready.Dequeue();
                running++;
                var index = IndexOf(tasks, task);
                _ = Task.Run(async () => completions.Writer.TryWrite(await RunTaskAsync(context, task, index)), CancellationToken.None);
            }
        }
        while (true)
        {
            StartReady();
            if (running == 0) break;
            var finished = await completions.Reader.ReadAsync(CancellationToken.None);
            running--;
            results[finished.Task] = finished;
            if (finished.Status == TaskRunStatus.Success)
            {
                foreach (var next in dependents[finished.Task])
                    if (--remaining[next.Name] == 0) ready.Enqueue(next);
                // The hand-off: what waited only for this task starts before its end is written to the state store.
                StartReady();
                await NotifyFinishedAsync(plan, finished);
                continue;
            }
            await NotifyFinishedAsync(plan, finished);
            if (!run.IsCancellationRequested)
            {
                // When the run is stopping, what is left downstream was skipped by the stop, not failed upstream.
                foreach (var blocked in Downstream(finished.Task, dependents).Where(t => !results.ContainsKey(t)))
                {
                    var upstream = new TaskResult(blocked, TaskRunStatus.UpstreamFailed, 0, null, $"upstream task '{finished.Task}' did not succeed", null, null, null);
                    results[blocked] = upstream;
                    await NotifyFinishedAsync(plan, upstream);
                }
            }
        }

        var userCancelled = cancellationToken.IsCancellationRequested;
        var timedOut = !userCancelled && run.IsCancellationRequested;
        foreach (var task in tasks.Where(t => !results.ContainsKey(t.Name)))
        {
            var skipped = new TaskResult(task.Name, TaskRunStatus.Skipped, 0, null,
                userCancelled ? "not started: the run was cancelled" : $"not started: the run timed out after {DurationText.Format(project.Timeout ?? TimeSpan.Zero)}",
                null, null, null);
            results[task.Name] = skipped;
            await NotifyFinishedAsync(plan, skipped);
        }

        var ordered = tasks.Select(t => results[t.Name]).ToList();
        var failed = ordered.Where(r => r.Status is TaskRunStatus.Failed or TaskRunStatus.UpstreamFailed).ToList();
        var (status, detail) = userCancelled ? (PipelineRunStatus.Cancelled, "cancelled")
            : timedOut ? (PipelineRunStatus.Failed, $"timed out after {DurationText.Format(project.Timeout!.Value)} (whole-run timeout)")
            : failed.Count > 0 ? (PipelineRunStatus.Failed, $"{failed.Count} task(s) did not succeed: {string.Join(", ", failed.Select(f => $"{f.Task} ({f.Status.ToText()})"))}")
            : (PipelineRunStatus.Success, (string?)null);
        return new RunOutcome(status, detail, ordered, startedAt, _time.GetUtcNow());
    }

    private async Task<TaskResult> RunTaskAsync(RunContext context, PitTask task, int index)
    {
        var plan = context.Plan;
        var logPath = plan.LogPath(task.Name);
        await using var log = TaskLog.Open(logPath, task.Name, _redactor, plan.Output);
        var runner = RunnerChoice.For(task, out var problem);
        if (runner is null)
        {
            log.Line(problem!);
            return new TaskResult(task.Name, TaskRunStatus.Failed, 1, null, problem, null, null, logPath);
        }
        var socketPath = context.Sockets.SocketFor(index);
        await using var sdk = new SdkServer(socketPath, new SdkCaller(plan.RunId, plan.Project.Name, task.Name), _logger);
        SecretMethods.Register(sdk, _secrets, _audit, _time);
        sdk.Start();
        var environment = new Dictionary<string, string>(context.Environment, StringComparer.Ordinal)
        {
            ["PIT_TASK_NAME"] = task.Name,
            ["PIT_SOCKET"] = socketPath,
        };
        var invocation = new TaskInvocation(plan.Project, task, runner, plan.SnapshotDirectory, environment, log, context.SqlConnections);
        ITaskRunner taskRunner = runner.Kind == RunnerKind.Sql ? new SqlTaskRunner(_secrets, _drivers, _redactor) : new ProcessTaskRunner(_python);

        var attempts = task.Retries + 1;
        AttemptOutcome outcome = AttemptOutcome.Failed("not started");
        DateTimeOffset? startedAt = null, finishedAt = null;
        var attempt = 0;
        var startedNotice = Task.CompletedTask;
        while (attempt < attempts)
        {
            attempt++;
            if (attempt > 1)
            {
                try
                {
                    await Task.Delay(task.DelayBefore(attempt), _time, context.RunToken);
                }
                catch (OperationCanceledException)
                {
                    attempt--;
                    outcome = AttemptOutcome.Failed(context.Stopped(plan.Project) + " before the next attempt");
                    break;
                }
                log.Line($"--- retry attempt {attempt - 1}/{task.Retries} ---");
            }
            startedAt = _time.GetUtcNow();
            // Recorded while the attempt starts rather than before it (the hand-off latency); awaited before the next
            // record of this task, so a start is never written after the task's end.
            await startedNotice;
            startedNotice = NotifyStartedAsync(plan, task.Name, attempt, startedAt.Value);
            using var attemptCancel = CancellationTokenSource.CreateLinkedTokenSource(context.RunToken);
            if (task.Timeout is { } timeout) attemptCancel.CancelAfter(timeout);
            try
            {
                outcome = await taskRunner.RunAsync(invocation, attemptCancel.Token);
            }
            catch (OperationCanceledException) when (attemptCancel.IsCancellationRequested)
            {
                finishedAt = _time.GetUtcNow();
                if (context.RunToken.IsCancellationRequested)
                {
                    outcome = AttemptOutcome.Failed(context.Stopped(plan.Project));
                    log.Line(outcome.Detail!);
                    break;
                }
                outcome = AttemptOutcome.Failed($"timed out after {DurationText.Format(task.Timeout!.Value)}");
                log.Line(outcome.Detail!);
                continue;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                outcome = AttemptOutcome.Failed(_redactor.Redact(ex.Message));
                log.Line(outcome.Detail!);
            }
            finishedAt = _time.GetUtcNow();
            if (outcome.Success) break;
        }
        await startedNotice;
        return new TaskResult(task.Name, outcome.Success ? TaskRunStatus.Success : TaskRunStatus.Failed, attempt, outcome.ExitCode,
            outcome.Detail is null ? null : _redactor.Redact(outcome.Detail), startedAt, finishedAt, logPath);
    }

    private static int IndexOf(IReadOnlyList<PitTask> tasks, PitTask task)
    {
        for (var i = 0; i < tasks.Count; i++)
            if (ReferenceEquals(tasks[i], task)) return i;
        throw new InvalidOperationException($"task {task.Name} is not in its DAG");
    }

    private static IEnumerable<string> Downstream(string task, Dictionary<string, List<PitTask>> dependents)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>([task]);
        while (stack.Count > 0)
        {
            foreach (var next in dependents[stack.Pop()])
                if (seen.Add(next.Name)) stack.Push(next.Name);
        }
        return seen;
    }

    private static Dictionary<string, string> BaseEnvironment(ExecutionPlan plan)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = (string?)entry.Value ?? "";
        environment["PIT_RUN_ID"] = plan.RunId;
        environment["PIT_DAG_NAME"] = plan.Project.Name;
        environment["PYTHONPATH"] = environment.TryGetValue("PYTHONPATH", out var existing) && existing.Length > 0
            ? $"{PythonSdk.Directory}:{existing}" : PythonSdk.Directory;
        // Output reaches the log (and --verbose) as it is printed, not when Python's buffer fills.
        environment.TryAdd("PYTHONUNBUFFERED", "1");
        return environment;
    }

    private async Task NotifyStartedAsync(ExecutionPlan plan, string task, int attempt, DateTimeOffset at)
    {
        if (plan.Listener is null) return;
        try
        {
            await plan.Listener.TaskStartedAsync(task, attempt, at, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Recording the start of task {Task} of run {RunId} failed", task, plan.RunId);
        }
    }

    private async Task NotifyFinishedAsync(ExecutionPlan plan, TaskResult result)
    {
        if (plan.Listener is null) return;
        try
        {
            await plan.Listener.TaskFinishedAsync(result, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Recording the end of task {Task} of run {RunId} failed", result.Task, plan.RunId);
        }
    }

    private sealed record RunContext(ExecutionPlan Plan, SdkSocketDirectory Sockets, SqlConnectionCache SqlConnections,
        IReadOnlyDictionary<string, string> Environment, CancellationToken RunToken, CancellationToken UserToken)
    {
        public string Stopped(PitProject project) => UserToken.IsCancellationRequested
            ? "cancelled"
            : $"timed out after {DurationText.Format(project.Timeout ?? TimeSpan.Zero)} (whole-run timeout)";
    }
}
