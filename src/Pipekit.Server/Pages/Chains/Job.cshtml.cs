using Microsoft.AspNetCore.Mvc;
using Pipekit.Chains.Jobs;
using Pipekit.Core.Errors;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// <c>/chains/jobs/{id}</c>: one chain job — status, stage timings, the snapshot (tail hash, hit or miss and why),
/// every step with hit or miss, the live log (polled every 2 s until the job ends), the head's result or the failing
/// statement, and Cancel while it has not ended.
/// </summary>
internal sealed class JobModel(TimeProvider time, ChainJobService jobs, Redactor redactor) : PipekitPage(time)
{
    /// <summary>Result rows shown on the page; the API returns up to 10,000.</summary>
    public const int ShownRows = 200;

    public JobLive Live { get; private set; } = null!;
    public ChainJob Job => Live.Job;
    public IReadOnlyList<JobStep> Steps { get; private set; } = [];
    public string? StepsProblem { get; private set; }
    public int FileCount { get; private set; }
    public string? Done { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string? done, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Done = done == "canceled" ? $"Job #{id} was canceled: its statement was stopped and its instance dropped; the layers it published stay." : null;
        return Page();
    }

    public async Task<IActionResult> OnPostCancelAsync(long id, CancellationToken ct)
    {
        try
        {
            await jobs.CancelAsync(id, ct);
        }
        catch (ChainJobNotFoundException)
        {
            return NotFound();
        }
        catch (PipekitException e)
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            ModelState.AddModelError("", e.Message);
            return Page();
        }
        return Redirect($"/chains/jobs/{id}?done=canceled");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        try
        {
            Live = await JobLogs.ReadAsync(jobs, redactor, id, ct);
            var files = await jobs.FilesAsync(id, ct);
            FileCount = files.Count;
            (Steps, StepsProblem) = JobSteps.Of(Live.Job, files);
            return true;
        }
        catch (ChainJobNotFoundException)
        {
            return false;
        }
    }

    public static string Cell(object? value) => value switch
    {
        null => "",
        System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Null } => "",
        System.Text.Json.JsonElement e => e.ValueKind == System.Text.Json.JsonValueKind.String ? e.GetString() ?? "" : e.GetRawText(),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static bool IsNull(object? value) => value is null or System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Null };
}
