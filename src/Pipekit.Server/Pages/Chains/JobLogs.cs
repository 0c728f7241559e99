using Pipekit.Chains.Jobs;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Pages.Chains;

/// <summary>Reads a job and its log for a page, with every line passed through the redactor as the API does.</summary>
internal static class JobLogs
{
    /// <summary>The most lines a page shows; the API pages through the rest with <c>?after=</c>.</summary>
    public const int MaxLines = 5000;

    public static async Task<JobLive> ReadAsync(ChainJobService jobs, Redactor redactor, long id, CancellationToken ct)
    {
        // The status first: a job that has ended wrote its last line before its end, so the lines read after are complete.
        var job = await jobs.GetAsync(id, ct);
        var lines = await jobs.LogsAsync(id, 0, MaxLines, ct);
        return new JobLive(job, lines.Select(l => l with { Line = redactor.Redact(l.Line) }).ToList());
    }
}
