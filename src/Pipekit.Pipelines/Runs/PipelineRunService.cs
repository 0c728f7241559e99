using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Configuration;
using Pipekit.Core.Notifications;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.State;

namespace Pipekit.Pipelines.Runs;

/// <summary>
/// The one run path of pipelines: the CLI, the API, the scheduler and resumes all start runs here, and only
/// <c>triggered_by</c> differs. A run is recorded in <c>pipeline_run</c> before anything executes, its tasks in
/// <c>task_run</c> as they go, and its end (or its skip, with the reason) when it is decided.
/// </summary>
public sealed class PipelineRunService : IAsyncDisposable
{
    private static readonly TimeSpan QueuePoll = TimeSpan.FromMilliseconds(500);

    private readonly Workspace _workspace;
    private readonly PipekitEnvironment _environment;
    private readonly PipelineRepository _pipelines;
    private readonly PipelineRunRepository _runs;
    private readonly DagExecutor _executor;
    private readonly Redactor _redactor;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Notifier? _notifier;
    private readonly ConcurrentDictionary<long, Background> _background = new();
    private readonly CancellationTokenSource _stopping = new();

    public PipelineRunService(Workspace workspace, PipekitEnvironment environment, PipelineRepository pipelines, PipelineRunRepository runs,
        DagExecutor executor, Redactor redactor, TimeProvider time, ILogger<PipelineRunService>? logger = null, Notifier? notifier = null)
    {
        _notifier = notifier;
        _workspace = workspace;
        _environment = environment;
        _pipelines = pipelines;
        _runs = runs;
        _executor = executor;
        _redactor = redactor;
        _time = time;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    public Workspace Workspace => _workspace;

    private static string Owner => $"{Environment.MachineName}:{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    private string RunDirectory(long runId) => Path.Combine(_environment.Home.RunsDirectory, runId.ToString(CultureInfo.InvariantCulture));

    /// <summary>Runs a DAG to its end in the caller's flow (the CLI). Cancelling the token cancels the run.</summary>
    /// <exception cref="PipelineNotFoundException">No such DAG or task.</exception>
    /// <exception cref="InvalidProjectException">The project has problems.</exception>
    /// <exception cref="RunRefusedException">A required DAG has not succeeded since the last run, and <c>Force</c> is off.</exception>
    public async Task<PipelineRunResult> RunAsync(PipelineRunRequest request, IExecutionListener? listener, CancellationToken cancellationToken)
    {
        var (project, runId) = await PrepareManualAsync(request, cancellationToken);
        return await ExecuteAsync(runId, project, 1, ResumeSelection.None, reuseSnapshot: false, request.OnlyTask, request.Output, listener, cancellationToken);
    }

    /// <summary>Records a run and starts it in the background (the API); returns its id at once.</summary>
    public async Task<long> StartAsync(PipelineRunRequest request, CancellationToken cancellationToken)
    {
        var (project, runId) = await PrepareManualAsync(request, cancellationToken);
        Launch(runId, token => ExecuteAsync(runId, project, 1, ResumeSelection.None, false, request.OnlyTask, null, null, token));
        return runId;
    }

    /// <summary>
    /// A schedule fired. <c>overlap</c> decides what happens while a run of the DAG is going: <c>skip</c> records a skipped run
    /// with the reason, <c>wait</c> queues exactly one run, <c>allow</c> runs alongside. Unmet <c>requires</c> record a skip too.
    /// </summary>
    public async Task<long> StartScheduledAsync(long pipelineId, string triggeredBy, CancellationToken cancellationToken)
    {
        var pipeline = await _pipelines.GetAsync(pipelineId, cancellationToken)
            ?? throw new PipelineNotFoundException($"no pipeline with id {pipelineId}");
        var project = await _workspace.GetValidAsync(pipeline.Name, cancellationToken);
        await CloseAbandonedAsync(cancellationToken);
        var active = await _runs.ActiveAsync(pipelineId, cancellationToken);
        var running = active.FirstOrDefault(r => r.Status == PipelineRunStatus.Running);
        var queued = active.FirstOrDefault(r => r.Status == PipelineRunStatus.Queued);
        string? skip = project.Overlap switch
        {
            OverlapPolicy.Skip when active.Count > 0 => $"overlap = skip: run {active[0].Id} is still {active[0].Status.ToText()}",
            OverlapPolicy.Wait when queued is not null => $"overlap = wait: run {queued.Id} is already queued",
            _ => null,
        };
        skip ??= await RequirementCheck.UnmetAsync(project, _runs, cancellationToken);
        if (skip is not null)
        {
            _logger.LogInformation("Scheduled run of {Dag} skipped: {Reason}", project.Name, skip);
            return await _runs.CreateAsync(pipelineId, project.Name, PipelineRunStatus.Skipped, skip, triggeredBy, null, null, cancellationToken);
        }
        if (project.Overlap == OverlapPolicy.Wait && running is not null)
        {
            var queuedId = await _runs.CreateAsync(pipelineId, project.Name, PipelineRunStatus.Queued, $"waiting for run {running.Id}", triggeredBy, null, null, cancellationToken);
            Launch(queuedId, token => WaitThenExecuteAsync(queuedId, pipelineId, project.Name, token));
            return queuedId;
        }
        var runId = await _runs.CreateAsync(pipelineId, project.Name, PipelineRunStatus.Running, null, triggeredBy, null, Owner, cancellationToken);
        Launch(runId, token => ExecuteAsync(runId, project, 1, ResumeSelection.None, false, null, null, null, token));
        return runId;
    }

    /// <summary>
    /// Resumes a finished run, in its own snapshot, as the next attempt of the same run: the failed tasks and the tasks after
    /// them that did not run execute again, tasks that succeeded do not (<see cref="ResumeSelection"/>).
    /// </summary>
    public async Task<PipelineRunResult> ResumeAsync(long runId, Action<string>? output, IExecutionListener? listener, CancellationToken cancellationToken)
    {
        var (run, project, selection) = await PrepareResumeAsync(runId, cancellationToken);
        return await ExecuteAsync(runId, project, run.Attempt + 1, selection, reuseSnapshot: true, run.OnlyTask, output, listener, cancellationToken);
    }

    /// <summary>Starts a resume in the background (the API).</summary>
    public async Task<int> StartResumeAsync(long runId, CancellationToken cancellationToken)
    {
        var (run, project, selection) = await PrepareResumeAsync(runId, cancellationToken);
        // Recorded as running before this returns, so a client polling the run never sees the previous attempt's end.
        await _runs.BeginAttemptAsync(runId, run.Attempt + 1, RunDirectory(runId), project.Tasks.Select(t => t.Name), Owner, cancellationToken);
        Launch(runId, token => ExecuteAsync(runId, project, run.Attempt + 1, selection, true, run.OnlyTask, null, null, token, begun: true));
        return run.Attempt + 1;
    }

    /// <summary>Cancels a run: one going in this process stops (process trees killed, unstarted tasks skipped); a queued one never starts.</summary>
    /// <exception cref="RunInProgressException">The run is going in another process.</exception>
    public async Task CancelAsync(long runId, CancellationToken cancellationToken)
    {
        var run = await _runs.GetAsync(runId, cancellationToken) ?? throw new RunNotFoundException(runId);
        if (_background.TryGetValue(runId, out var background))
        {
            await background.Cancel.CancelAsync();
            return;
        }
        if (run.Status == PipelineRunStatus.Queued)
        {
            await _runs.FinishAsync(runId, PipelineRunStatus.Cancelled, "cancelled while queued", cancellationToken);
            return;
        }
        if (run.Status == PipelineRunStatus.Running)
            throw new RunInProgressException($"run {runId} is running in another process; cancel it there (Ctrl-C) or through the server that started it");
        throw new RunRefusedException($"run {runId} has ended already ({run.Status.ToText()})");
    }

    /// <summary>Waits until no background run of this process is going (tests, and the demo's end).</summary>
    public async Task WaitForBackgroundRunsAsync()
    {
        while (!_background.IsEmpty)
            await Task.WhenAll(_background.Values.Select(b => b.Task).ToList());
    }

    /// <summary>Marks runs whose process on this host died as failed, so they do not block <c>overlap</c> and can be resumed.</summary>
    public Task<int> CloseAbandonedAsync(CancellationToken cancellationToken) =>
        _runs.CloseAbandonedAsync(owner =>
        {
            var colon = owner.LastIndexOf(':');
            return colon > 0 && owner[..colon] == Environment.MachineName
                && int.TryParse(owner[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}");
        }, cancellationToken);

    private async Task<(PitProject Project, long RunId)> PrepareManualAsync(PipelineRunRequest request, CancellationToken cancellationToken)
    {
        var project = await _workspace.GetValidAsync(request.Dag, cancellationToken);
        if (request.OnlyTask is { } only && project.FindTask(only) is null)
            throw new PipelineNotFoundException($"DAG '{project.Name}' has no task '{only}'; its tasks: {string.Join(", ", project.Tasks.Select(t => t.Name))}");
        await CloseAbandonedAsync(cancellationToken);
        if (!request.Force && await RequirementCheck.UnmetAsync(project, _runs, cancellationToken) is { } unmet)
            throw new RunRefusedException($"DAG '{project.Name}' {unmet}; run the required DAG first, or pass --force to run anyway");
        var pipeline = await _pipelines.EnsureAsync(project.Name, project.Directory, cancellationToken);
        var runId = await _runs.CreateAsync(pipeline.Id, project.Name, PipelineRunStatus.Running, null, request.TriggeredBy, request.OnlyTask, Owner, cancellationToken);
        return (project, runId);
    }

    private async Task<(PipelineRun Run, PitProject Project, ResumeSelection Selection)> PrepareResumeAsync(long runId, CancellationToken cancellationToken)
    {
        await CloseAbandonedAsync(cancellationToken);
        var run = await _runs.GetAsync(runId, cancellationToken) ?? throw new RunNotFoundException(runId);
        if (!run.IsFinished || _background.ContainsKey(runId))
            throw new RunInProgressException($"run {runId} is still {run.Status.ToText()}; wait for it to end (or cancel it) before resuming");
        if (run.Status == PipelineRunStatus.Success)
            throw new RunRefusedException($"run {runId} succeeded; there is nothing to resume");
        var snapshot = run.RunDir is null ? null : Path.Combine(run.RunDir, "project");
        if (snapshot is null || !File.Exists(Path.Combine(snapshot, "pit.toml")))
            throw new RunRefusedException($"run {runId} has no snapshot to resume from ({run.Status.ToText()}{(run.StatusDetail is null ? "" : ": " + run.StatusDetail)}); start a new run instead");
        var (parsed, problems) = await ProjectFileParser.ReadAsync(Path.Combine(snapshot, "pit.toml"), cancellationToken);
        var all = parsed is null ? problems : [.. problems, .. ProjectValidator.Validate(parsed)];
        if (parsed is null || all.Count > 0)
            throw new InvalidProjectException($"the snapshot of run {runId} has {all.Count} problem(s), the first: {all[0]}", all);
        var pipeline = await _pipelines.GetAsync(run.PipelineId, cancellationToken);
        // Relative paths in [dag.sql] resolve against the project, as in the run that made the snapshot.
        var project = parsed with { Directory = pipeline?.ProjectDir ?? parsed.Directory };
        var tasks = await _runs.TasksAsync(runId, cancellationToken);
        var selection = ResumeSelection.Of(project, tasks.Where(t => t.RunAttempt == run.Attempt).ToList(), run.OnlyTask);
        if (selection.Rerun.Count == 0)
            throw new RunRefusedException($"run {runId} has no failed task to resume ({run.Status.ToText()}" +
                $"{(run.StatusDetail is null ? "" : ": " + run.StatusDetail)}; the tasks it did not start depend on no failure); start a new run instead");
        return (run, project, selection);
    }

    private async Task<PipelineRunResult> ExecuteAsync(long runId, PitProject project, int attempt, ResumeSelection resume, bool reuseSnapshot,
        string? onlyTask, Action<string>? output, IExecutionListener? listener, CancellationToken cancellationToken, bool begun = false)
    {
        var runDir = RunDirectory(runId);
        if (!begun) await _runs.BeginAttemptAsync(runId, attempt, runDir, project.Tasks.Select(t => t.Name), Owner, CancellationToken.None);
        var plan = new ExecutionPlan
        {
            Project = project,
            RunId = runId.ToString(CultureInfo.InvariantCulture),
            RunDirectory = runDir,
            MaxParallelTasks = _environment.Config.Pipelines.MaxParallelTasks,
            OnlyTask = onlyTask,
            AlreadySucceeded = resume.Succeeded,
            NotRerun = resume.NotRerun,
            ReuseSnapshot = reuseSnapshot,
            Output = output,
            Listener = new RunRecorder(_runs, runId, attempt, listener),
        };
        try
        {
            var outcome = await _executor.ExecuteAsync(plan, cancellationToken);
            await _runs.FinishAsync(runId, outcome.Status, outcome.Detail, CancellationToken.None);
            Notify(runId);
            return new PipelineRunResult(runId, attempt, outcome);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await _runs.FinishAsync(runId, PipelineRunStatus.Cancelled, "cancelled before any task started", CancellationToken.None);
            Notify(runId);
            throw;
        }
        catch (Exception ex)
        {
            await _runs.FinishAsync(runId, PipelineRunStatus.Failed, _redactor.Redact(ex.Message), CancellationToken.None);
            Notify(runId);
            throw;
        }
    }

    // Queued only: the notifier reads the finished run on its own loop, so the run never waits for it.
    private void Notify(long runId) => _notifier?.Publish(ct => PipelineRunNotice.ReadAsync(_runs, runId, ct));

    private async Task<PipelineRunResult?> WaitThenExecuteAsync(long runId, long pipelineId, string dag, CancellationToken cancellationToken)
    {
        while (true)
        {
            var active = await _runs.ActiveAsync(pipelineId, cancellationToken);
            if (active.All(r => r.Id == runId || r.Status != PipelineRunStatus.Running)) break;
            await Task.Delay(QueuePoll, _time, cancellationToken);
        }
        if (!await _runs.TryStartQueuedAsync(runId, Owner, cancellationToken)) return null;
        var project = await _workspace.GetValidAsync(dag, cancellationToken);
        return await ExecuteAsync(runId, project, 1, ResumeSelection.None, false, null, null, null, cancellationToken);
    }

    private void Launch(long runId, Func<CancellationToken, Task> work)
    {
        var cancel = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var task = Task.Run(async () =>
        {
            await started.Task;
            try
            {
                await work(cancel.Token);
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                if ((await _runs.GetAsync(runId, CancellationToken.None))?.Status == PipelineRunStatus.Queued)
                    await _runs.FinishAsync(runId, PipelineRunStatus.Cancelled, "cancelled while queued", CancellationToken.None);
            }
            catch (Exception ex)
            {
                _logger.LogError(ex, "Pipeline run {RunId} failed outside its tasks", runId);
            }
            finally
            {
                _background.TryRemove(runId, out _);
                cancel.Dispose();
            }
        });
        _background[runId] = new Background(cancel, task);
        started.SetResult();
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        try
        {
            await WaitForBackgroundRunsAsync();
        }
        finally
        {
            _stopping.Dispose();
        }
    }

    private sealed record Background(CancellationTokenSource Cancel, Task Task);
}
