using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Errors;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.GroupRuns;

/// <summary>
/// <c>/group-runs/{id}</c>: one run of a group — status, timing, trigger, and each member's run in order — with
/// "Re-run failed members" once it has ended with failures (a new group run of only those members, through
/// <see cref="GroupRerun"/>), and Cancel while it runs. The members table refreshes every 2 s while the run goes.
/// </summary>
internal sealed class DetailModel(TimeProvider time, GroupRunRepository groupRuns, RunLogRepository runs, GroupRerun rerun,
    RunCoordinator coordinator) : PipekitPage(time)
{
    public GroupRun GroupRun { get; private set; } = null!;
    public IReadOnlyList<RunLogEntry> Members { get; private set; } = [];
    public string? Notice { get; private set; }

    public bool Active => !GroupRun.Status.IsFinished();

    /// <summary>Members whose run ended <c>error</c>: what "Re-run failed members" runs again.</summary>
    public int FailedCount => Members.Count(r => r.Status == RunStatus.Error && r.ModuleId is not null);

    /// <summary>The group run this one re-ran, when it is a re-run.</summary>
    public long? RerunOf => GroupRerun.RerunOf(GroupRun.TriggeredBy);

    public long? DurationMs => GroupRun.FinishedAt is { } f ? (long)(f - GroupRun.StartedAt).TotalMilliseconds : null;

    public async Task<IActionResult> OnGetAsync(long id, long? rerunFrom, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (rerunFrom is { } from) Notice = $"Re-running the failed members of group run #{from}.";
        return Page();
    }

    public async Task<IActionResult> OnPostRerunFailedAsync(long id, CancellationToken ct)
    {
        try
        {
            var started = await rerun.RerunFailedAsync(id, new RunStart { TriggeredBy = "manual" }, ct);
            return Redirect($"/group-runs/{started.GroupRunId}?rerunFrom={id}");
        }
        catch (PipekitException e) when (e is not NotFoundException)
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        try
        {
            await coordinator.CancelGroupAsync(GroupRun.GroupId, ct);
        }
        catch (PipekitException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        return Redirect($"/group-runs/{id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        if (await groupRuns.GetAsync(id, ct) is not { } groupRun) return false;
        GroupRun = groupRun;
        Members = (await runs.ListAsync(new RunFilter { GroupRunId = id, Limit = 1000, IncludeText = false }, ct)).OrderBy(r => r.Id).ToList();
        return true;
    }
}
