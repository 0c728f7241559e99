using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Errors;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.State;

namespace Pipekit.Server.Pages.Pipelines;

/// <summary>
/// <c>/pipeline-runs/{id}</c>: one run of a DAG — the task graph coloured by status, each task's status, attempts, exit
/// code and duration, a log per task that follows the file every 2 s while the task runs, the earlier attempts of a
/// resumed run and the run's secret reads — with Cancel (while it runs) and Resume (after a failure), through the same
/// <see cref="PipelineRunService"/> as the API and the CLI.
/// </summary>
internal sealed class RunModel(TimeProvider time, PipelineRunRepository runs, SecretAuditRepository audit, Workspace workspace,
    PipelineRunService service, Redactor redactor) : PipekitPage(time)
{
    [BindProperty(SupportsGet = true, Name = "resumed")] public int? Resumed { get; set; }

    public PipelineRun Run { get; private set; } = null!;
    public IReadOnlyList<TaskRunRecord> Current { get; private set; } = [];
    public IReadOnlyList<IGrouping<int, TaskRunRecord>> Earlier { get; private set; } = [];
    public IReadOnlyList<PitTask> Graph { get; private set; } = [];
    public IReadOnlyDictionary<string, TaskLogTail> Logs { get; private set; } = new Dictionary<string, TaskLogTail>();
    public IReadOnlyList<SecretAccess> SecretReads { get; private set; } = [];
    public string? Error { get; private set; }

    public bool Active => PipelineShow.IsActive(Run.Status);

    public bool CanResume => Run.Status is PipelineRunStatus.Failed or PipelineRunStatus.Cancelled && Run.RunDir is not null;

    public IReadOnlyDictionary<string, TaskRunStatus> Statuses => Current.ToDictionary(t => t.Task, t => t.Status, StringComparer.Ordinal);

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) =>
        await LoadAsync(id, withLogs: true, ct) ? Page() : NotFound();

    /// <summary>The live fragment (graph and task table) polled every 2 s while the run is going; at the end it reloads the page.</summary>
    public async Task<IActionResult> OnGetLiveAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, withLogs: false, ct)) return NotFound();
        if (!Active && Request.Headers.ContainsKey("HX-Request")) Response.Headers["HX-Refresh"] = "true";
        return Partial("_RunTasks", this);
    }

    /// <summary>One task's log panel; it stops polling once the task has finished.</summary>
    public async Task<IActionResult> OnGetLogAsync(long id, string task, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is not { } run) return NotFound();
        var row = (await runs.TasksAsync(id, ct)).LastOrDefault(t => t.Task == task && t.RunAttempt == run.Attempt);
        if (row is null) return NotFound();
        var log = await TaskLogTail.ReadAsync(LogPath(run, row), redactor, ct);
        return Partial("_TaskLog", new TaskLogPanel(id, row, log, IsLive(row)));
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken ct)
    {
        try
        {
            await service.CancelAsync(id, ct);
            return Redirect($"/pipeline-runs/{id}");
        }
        catch (PipekitException e)
        {
            return await ShowErrorAsync(id, e.Message, ct);
        }
    }

    public async Task<IActionResult> OnPostResumeAsync(long id, CancellationToken ct)
    {
        try
        {
            var attempt = await service.StartResumeAsync(id, ct);
            return Redirect($"/pipeline-runs/{id}?resumed={attempt}");
        }
        catch (PipekitException e)
        {
            return await ShowErrorAsync(id, e.Message, ct);
        }
    }

    public static bool IsLive(TaskRunRecord task) => task.Status is TaskRunStatus.Pending or TaskRunStatus.Running;

    public static string? LogPath(PipelineRun run, TaskRunRecord task) =>
        task.LogPath ?? (run.RunDir is null ? null : Path.Combine(run.RunDir, "logs", task.Task + ".log"));

    private async Task<IActionResult> ShowErrorAsync(long id, string message, CancellationToken ct)
    {
        if (!await LoadAsync(id, withLogs: true, ct)) return NotFound();
        Error = message;
        return Page();
    }

    private async Task<bool> LoadAsync(long id, bool withLogs, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is not { } run) return false;
        Run = run;
        var tasks = await runs.TasksAsync(id, ct);
        Current = tasks.Where(t => t.RunAttempt == run.Attempt).ToList();
        Earlier = tasks.Where(t => t.RunAttempt < run.Attempt).GroupBy(t => t.RunAttempt).OrderByDescending(g => g.Key).ToList();
        Graph = await GraphTasksAsync(run, ct);
        if (!withLogs) return true;
        var logs = new Dictionary<string, TaskLogTail>(StringComparer.Ordinal);
        foreach (var t in Current) logs[t.Task] = await TaskLogTail.ReadAsync(LogPath(run, t), redactor, ct);
        Logs = logs;
        SecretReads = await audit.ListAsync(id, null, 1000, ct);
        return true;
    }

    /// <summary>The tasks as this run saw them: its snapshot's pit.toml, else the workspace's, else the task rows without edges.</summary>
    private async Task<IReadOnlyList<PitTask>> GraphTasksAsync(PipelineRun run, CancellationToken ct)
    {
        var snapshot = run.RunDir is null ? null : Path.Combine(run.RunDir, "project", "pit.toml");
        if (snapshot is not null && System.IO.File.Exists(snapshot) && (await ProjectFileParser.ReadAsync(snapshot, ct)).Project is { } fromSnapshot)
            return fromSnapshot.Tasks;
        var report = await workspace.LoadAsync(ct);
        if (report.Projects.FirstOrDefault(p => p.Name == run.DagName) is { } project) return project.Tasks;
        return Current.Select(t => new PitTask { Name = t.Task, Script = "" }).ToList();
    }
}
