using Microsoft.AspNetCore.Mvc;
using Pipekit.Chains.Jobs;

namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// <c>/chains</c>: the newest chain jobs (the <c>/v1/jobs</c> API's jobs) with status, stage, head, engine, whether
/// the tail was a cache hit, and duration; filtered by status.
/// </summary>
internal sealed class IndexModel(TimeProvider time, ChainJobService jobs) : PipekitPage(time)
{
    public const int PageSize = 100;

    public int Size => PageSize;

    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }

    public IReadOnlyList<ChainJob> Rows { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(Status) && !JobStatus.All.Contains(Status))
        {
            Problem = $"'{Status}' is not a job status ({string.Join(", ", JobStatus.All)}); showing every status.";
            Status = null;
        }
        Rows = await jobs.ListAsync(string.IsNullOrEmpty(Status) ? null : Status, PageSize, ct);
    }
}
