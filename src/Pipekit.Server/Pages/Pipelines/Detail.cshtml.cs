using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Errors;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.State;
using Pipekit.Server.Pages.Groups;

namespace Pipekit.Server.Pages.Pipelines;

/// <summary>
/// <c>/pipelines/{dag}</c>: one DAG — its task graph (server-side SVG by depth), its tasks with their runners, dependencies,
/// retries and timeouts, its problems (file:line) when the project is invalid, its schedule and its recent runs — with Run.
/// </summary>
internal sealed class DetailModel(TimeProvider time, Workspace workspace, PipelineRunRepository runs, PipelineRunService service) : PipekitPage(time)
{
    public const int RecentRuns = 20;

    [BindProperty(SupportsGet = true, Name = "started")] public long? Started { get; set; }

    public PitProject Project { get; private set; } = null!;
    public IReadOnlyList<ProjectProblem> Problems { get; private set; } = [];
    public IReadOnlyList<PipelineRun> Runs { get; private set; } = [];
    public NextFires? Fires { get; private set; }
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string dag, CancellationToken ct) =>
        await LoadAsync(dag, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostRunAsync(string dag, bool force, CancellationToken ct)
    {
        try
        {
            var runId = await service.StartAsync(new PipelineRunRequest { Dag = dag, Force = force, TriggeredBy = "ui" }, ct);
            return Redirect($"/pipelines/{Uri.EscapeDataString(dag)}?started={runId}");
        }
        catch (PipekitException e)
        {
            if (!await LoadAsync(dag, ct)) return NotFound();
            Error = e.Message;
            return Page();
        }
    }

    private async Task<bool> LoadAsync(string dag, CancellationToken ct)
    {
        var report = await workspace.LoadAsync(ct);
        if (report.Projects.FirstOrDefault(p => p.Name == dag) is not { } project) return false;
        Project = project;
        Problems = report.ProblemsOf(dag);
        Runs = await runs.ListAsync(dag, null, null, RecentRuns, ct);
        Fires = project.Schedule is null ? null : NextFires.Of(project.Schedule, "UTC", Now);
        return true;
    }
}
