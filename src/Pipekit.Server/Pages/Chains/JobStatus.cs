using Microsoft.AspNetCore.Html;
using Pipekit.Chains.Jobs;

namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// A chain job's status as the pages write it: the job's own word, with the glyph and colour of the run status it
/// reads as (completed ✔, failed ✗, preparing/running/publishing ●, pending ◌, canceled ⊘).
/// </summary>
internal static class JobStatus
{
    public static readonly IReadOnlyList<string> All =
        [ChainStages.Pending, ChainStages.Preparing, ChainStages.Running, ChainStages.PublishingStatus, ChainStages.Completed, ChainStages.Failed, ChainStages.Canceled];

    public static (string Glyph, string Css) Look(string status) => status switch
    {
        ChainStages.Completed => ("✔", "success"),
        ChainStages.Failed => ("✗", "error"),
        ChainStages.Canceled => ("⊘", "cancelled"),
        ChainStages.Pending => ("◌", "queued"),
        _ => ("●", "running"),
    };

    public static IHtmlContent Show(string status)
    {
        var (glyph, css) = Look(status);
        return new HtmlString($"<span class=\"st st-{css}\"><span class=\"glyph\" aria-hidden=\"true\">{glyph}</span> {System.Net.WebUtility.HtmlEncode(status)}</span>");
    }

    /// <summary>Hit, miss, or a dash while the tail has not been looked up yet.</summary>
    public static IHtmlContent Snapshot(bool? hit) => hit switch
    {
        true => new HtmlString("<span class=\"cache cache-hit\" title=\"the whole tail was cached: no step replayed\">▣ hit</span>"),
        false => new HtmlString("<span class=\"cache cache-miss\" title=\"part of the tail was replayed\">□ miss</span>"),
        null => new HtmlString("<span class=\"muted\">—</span>"),
    };

    /// <summary>How long the job ran (or has run so far), from its start; null before it started.</summary>
    public static long? DurationMs(ChainJob job, DateTimeOffset now) => job.StartedAt is { } s
        ? (long)((job.FinishedAt ?? now) - s).TotalMilliseconds
        : null;
}
