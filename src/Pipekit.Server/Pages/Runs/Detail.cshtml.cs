using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Errors;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Runs;

/// <summary>
/// <c>/runs/{id}</c>: one run — status, rows, timing, trigger, watermark values, resolved SQL, merge SQL, logs and
/// hook log — with a live panel polling <c>/runs/{id}/live</c> every 2 s while it runs, Cancel, and Run again.
/// </summary>
internal sealed class DetailModel(TimeProvider time, RunLogRepository runs, RunCoordinator coordinator) : PipekitPage(time)
{
    public RunLogEntry Run { get; private set; } = null!;

    public bool Active => Run.Status is RunStatus.Running or RunStatus.Queued;

    public IReadOnlyList<KeyValuePair<string, string>> Watermarks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is not { } run) return NotFound();
        Load(run);
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is not { } run) return NotFound();
        try
        {
            await coordinator.CancelModuleAsync(run.ModuleId ?? throw new ModuleNotFoundException($"'{run.ModuleName}' (it was deleted)"), ct);
        }
        catch (PipekitException e)
        {
            Load(run);
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        return Redirect($"/runs/{id}");
    }

    public async Task<IActionResult> OnPostRunAgainAsync(long id, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is not { } run) return NotFound();
        try
        {
            var again = await coordinator.StartModuleRunAsync(run.ModuleId ?? throw new ModuleNotFoundException($"'{run.ModuleName}' (it was deleted)"), "manual", run.Status == RunStatus.DryRun, ct);
            return Redirect($"/runs/{again}");
        }
        catch (PipekitException e)
        {
            Load(run);
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    private void Load(RunLogEntry run)
    {
        Run = run;
        if (string.IsNullOrWhiteSpace(run.WatermarkValuesJson)) return;
        try
        {
            using var doc = JsonDocument.Parse(run.WatermarkValuesJson);
            Watermarks = doc.RootElement.EnumerateObject().Select(p => KeyValuePair.Create(p.Name, p.Value.ToString())).ToList();
        }
        catch (JsonException)
        {
            Watermarks = [KeyValuePair.Create("(raw)", run.WatermarkValuesJson)];
        }
    }
}
