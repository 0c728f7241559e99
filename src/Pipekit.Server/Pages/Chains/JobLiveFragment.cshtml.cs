using Microsoft.AspNetCore.Mvc;
using Pipekit.Chains.Jobs;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// <c>/chains/jobs/{id}/live</c>: the live panel (status, stage, log) that a job page polls every 2 s while the job
/// has not ended. Once it has, htmx is asked to reload the page so the steps, result and error appear, and the
/// reloaded panel polls no more.
/// </summary>
internal sealed class JobLiveFragmentModel(TimeProvider time, ChainJobService jobs, Redactor redactor) : PipekitPage(time)
{
    public JobLive Live { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        try
        {
            Live = await JobLogs.ReadAsync(jobs, redactor, id, ct);
        }
        catch (ChainJobNotFoundException)
        {
            return NotFound();
        }
        if (Live.Job.IsTerminal && Request.Headers.ContainsKey("HX-Request")) Response.Headers["HX-Refresh"] = "true";
        return Page();
    }
}
