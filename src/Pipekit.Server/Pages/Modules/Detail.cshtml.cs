using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Connections;
using Pipekit.Core.Errors;
using Pipekit.Server.Pages.Shared;
using Pipekit.Sync.Columns;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Modules;

/// <summary>
/// <c>/modules/{id}</c>: a module's info, columns, watermarks, hooks, next SQL with a live preview, Run / Dry run, and its
/// last 20 runs. A locked module shows who holds the lock (host, pid, since), with "Clear lock" when that holder is gone.
/// </summary>
internal sealed class DetailModel(TimeProvider time, ModuleRepository modules, ConnectionRepository connections, RunLogRepository runs,
    ModulePreviewer previewer, RunCoordinator coordinator, GroupRepository groups, StaleLockSweeper sweeper) : PipekitPage(time)
{
    public Module Module { get; private set; } = null!;

    /// <summary>Who holds the module's lock, when a run holds it.</summary>
    public LockState? Lock { get; private set; }

    [BindProperty(SupportsGet = true, Name = "cleared")]
    public long? Cleared { get; set; }

    public IReadOnlyDictionary<long, ConnectionRecord> Connections { get; private set; } = new Dictionary<long, ConnectionRecord>();

    public IReadOnlyList<RunLogEntry> Runs { get; private set; } = [];

    public SelectList Parsed { get; private set; } = null!;

    public IReadOnlyList<Group> Groups { get; private set; } = [];

    public ModulePreview? Preview { get; private set; }

    public string? PreviewError { get; private set; }

    [BindProperty(SupportsGet = true, Name = "started")]
    public long? Started { get; set; }

    [BindProperty(SupportsGet = true, Name = "created")]
    public bool Created { get; set; }

    [BindProperty(SupportsGet = true, Name = "preview")]
    public bool WantPreview { get; set; }

    public string ConnectionName(long id) => Connections.TryGetValue(id, out var c) ? c.Name : $"#{id} (missing)";

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (WantPreview) await PreviewAsync(ct);
        return Page();
    }

    /// <summary>The live preview panel alone (htmx).</summary>
    public async Task<IActionResult> OnGetPreviewAsync(long id, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } module) return NotFound();
        Module = module;
        await PreviewAsync(ct);
        return Partial("_Preview", this);
    }

    /// <summary>The module's dashboard row alone (htmx), polled while its run is active.</summary>
    public async Task<IActionResult> OnGetRowAsync(long id, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } module) return NotFound();
        var last = (await runs.ListAsync(new RunFilter { ModuleId = id, Limit = 1, IncludeText = false }, ct)).FirstOrDefault();
        return Partial("_ModuleRow", ModuleRow.Of(module, last, Now));
    }

    /// <summary>The recent-runs panel alone (htmx), polled while a run is active.</summary>
    public async Task<IActionResult> OnGetRunsAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        return Partial("_Runs", this);
    }

    public async Task<IActionResult> OnPostRunAsync(long id, bool dryRun, CancellationToken ct)
    {
        try
        {
            var runId = await coordinator.StartModuleRunAsync(id, "manual", dryRun, ct);
            return Redirect($"/modules/{id}?started={runId}");
        }
        catch (PipekitException e) when (e is ConflictException or InvalidInputException or CannotDoHereException)
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken ct)
    {
        try
        {
            var runId = await coordinator.CancelModuleAsync(id, ct);
            return Redirect($"/runs/{runId}");
        }
        catch (PipekitException e)
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    /// <summary>"Clear lock": only when the holder is provably gone; a holder that runs, or cannot be checked, is refused in words.</summary>
    public async Task<IActionResult> OnPostClearLockAsync(long id, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } module) return NotFound();
        try
        {
            var run = await sweeper.ClearGoneHolderAsync(module, ct);
            return Redirect($"/modules/{id}?cleared={run}");
        }
        catch (PipekitException e)
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    private async Task PreviewAsync(CancellationToken ct)
    {
        try
        {
            Preview = await previewer.PreviewAsync(Module.Id, ct);
        }
        catch (PipekitException e)
        {
            PreviewError = e.Message;
        }
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } module) return false;
        Module = module;
        Lock = LockState.Of(module);
        Connections = (await connections.ListAsync(ct)).ToDictionary(c => c.Id);
        Runs = await runs.ListAsync(new RunFilter { ModuleId = id, Limit = 20, IncludeText = false }, ct);
        Parsed = SelectListParser.Parse(module.SourceQuery);
        Groups = (await groups.ListAsync(ct)).Where(g => g.Members.Any(m => m.ModuleId == id)).ToList();
        return true;
    }
}
