using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Errors;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.State;
using Pipekit.Server.Pages.Groups;

namespace Pipekit.Server.Pages.Pipelines;

/// <summary>
/// <c>/pipelines</c>: every DAG of the workspace with its task count, schedule (in words, with the next fire), last run and
/// problems, and a Run button (Run anyway when <c>requires</c> is not met) that starts the run through the same service as
/// the API and the CLI.
/// </summary>
internal sealed class IndexModel(TimeProvider time, Workspace workspace, PipelineRunRepository runs, PipelineRunService service) : PipekitPage(time)
{
    [BindProperty(SupportsGet = true, Name = "started")] public long? Started { get; set; }

    public WorkspaceReport Report { get; private set; } = null!;
    public IReadOnlyList<PipelineRow> Rows { get; private set; } = [];
    public string? Error { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostRunAsync(string dag, bool force, CancellationToken ct)
    {
        try
        {
            var runId = await service.StartAsync(new PipelineRunRequest { Dag = dag, Force = force, TriggeredBy = "ui" }, ct);
            return Redirect($"/pipelines?started={runId}");
        }
        catch (PipekitException e)
        {
            Error = e.Message;
            await LoadAsync(ct);
            return Page();
        }
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Report = await workspace.LoadAsync(ct);
        var rows = new List<PipelineRow>();
        foreach (var p in Report.Projects)
        {
            var latest = (await runs.ListAsync(p.Name, null, null, 1, ct)).FirstOrDefault();
            var fires = p.Schedule is null ? null : NextFires.Of(p.Schedule, "UTC", Now);
            rows.Add(new PipelineRow(p, latest, fires, Report.ProblemsOf(p.Name).Count));
        }
        Rows = rows;
    }
}
