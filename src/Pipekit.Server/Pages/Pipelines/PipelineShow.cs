using Microsoft.AspNetCore.Html;
using Pipekit.Pipelines.Execution;

namespace Pipekit.Server.Pages.Pipelines;

/// <summary>
/// How the pipeline pages write run and task statuses: a glyph, a word and a colour (docs/ui.md), so a status reads in
/// grey-scale too. The CSS class is <c>st-</c> plus the stored word.
/// </summary>
internal static class PipelineShow
{
    public static string Glyph(TaskRunStatus status) => status switch
    {
        TaskRunStatus.Success => "✔",
        TaskRunStatus.Failed => "✗",
        TaskRunStatus.Running => "●",
        TaskRunStatus.Pending => "◌",
        TaskRunStatus.Skipped => "⊘",
        TaskRunStatus.UpstreamFailed => "⤫",
        _ => "?",
    };

    public static string Glyph(PipelineRunStatus status) => status switch
    {
        PipelineRunStatus.Success => "✔",
        PipelineRunStatus.Failed => "✗",
        PipelineRunStatus.Running => "●",
        PipelineRunStatus.Queued => "◌",
        PipelineRunStatus.Cancelled => "⊘",
        PipelineRunStatus.Skipped => "○",
        _ => "?",
    };

    public static string Word(TaskRunStatus status) => status.ToText().Replace('_', ' ');

    public static IHtmlContent Status(TaskRunStatus status) => Badge(status.ToText(), Glyph(status), Word(status));

    public static IHtmlContent Status(PipelineRunStatus status) => Badge(status.ToText(), Glyph(status), status.ToText());

    public static bool IsActive(PipelineRunStatus status) => status is PipelineRunStatus.Running or PipelineRunStatus.Queued;

    /// <summary>A task's duration in milliseconds, from its start to its end (or to now while it runs).</summary>
    public static long? DurationMs(DateTimeOffset? started, DateTimeOffset? finished, DateTimeOffset now) =>
        started is { } s ? (long)((finished ?? now) - s).TotalMilliseconds : null;

    private static HtmlString Badge(string css, string glyph, string word) =>
        new($"<span class=\"st st-{css}\"><span class=\"glyph\" aria-hidden=\"true\">{glyph}</span> {word}</span>");
}
