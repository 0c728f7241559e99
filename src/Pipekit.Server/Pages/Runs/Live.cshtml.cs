using Microsoft.AspNetCore.Mvc;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Runs;

/// <summary>
/// <c>/runs/{id}/live</c>: the live fragment (status, rows, live log) that the run page polls every 2 s while the
/// run is queued or running. When the run has ended it answers once more without a trigger, and asks htmx to reload
/// the page so the final SQL and logs appear.
/// </summary>
internal sealed class LiveModel(TimeProvider time, RunLogRepository runs) : PipekitPage(time)
{
    public RunLogEntry Run { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, bool ended, CancellationToken ct)
    {
        if (await runs.GetAsync(id, ct) is not { } run) return NotFound();
        Run = run;
        if (!(run.Status is RunStatus.Running or RunStatus.Queued) && Request.Headers.ContainsKey("HX-Request"))
            Response.Headers["HX-Refresh"] = "true";
        return Page();
    }
}
