using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Html;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Shared;

/// <summary>
/// How the pages write statuses, numbers, durations and times (docs/ui.md): a status is a glyph, a word and a
/// colour; numbers use thousands separators; durations read <c>1.9 s</c> or <c>2 m 14 s</c>; times are relative,
/// with the absolute time and its zone on hover.
/// </summary>
internal static class Show
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Glyph(RunStatus status) => status switch
    {
        RunStatus.Success => "✔",
        RunStatus.Error => "✗",
        RunStatus.Running => "●",
        RunStatus.Queued => "◌",
        RunStatus.Cancelled => "⊘",
        RunStatus.DryRun => "◇",
        _ => "?",
    };

    public static string Word(RunStatus status) => status switch
    {
        RunStatus.DryRun => "dry run",
        _ => status.ToText(),
    };

    public static IHtmlContent Status(RunStatus status) =>
        new HtmlString($"<span class=\"st st-{status.ToText()}\"><span class=\"glyph\" aria-hidden=\"true\">{Glyph(status)}</span> {Word(status)}</span>");

    /// <summary>The "drift" mark after a success whose verification found source and destination apart.</summary>
    public static IHtmlContent Drift(bool drift) => drift
        ? new HtmlString("<span class=\"st st-error\" title=\"the verification after the run found source and destination apart\">, drift</span>")
        : HtmlString.Empty;

    /// <summary>"· 3 attempts" after a run's status when it retried after transient errors; nothing for one attempt.</summary>
    public static IHtmlContent Attempts(int attempts) => attempts > 1
        ? new HtmlString($"<span class=\"muted attempts\" title=\"the run retried after transient errors; each attempt is in its live log\"> · {attempts} attempts</span>")
        : HtmlString.Empty;

    public static IHtmlContent Disabled() => new HtmlString("<span class=\"st st-disabled\"><span class=\"glyph\" aria-hidden=\"true\">○</span> disabled</span>");

    public static IHtmlContent NeverRun() => new HtmlString("<span class=\"st st-never\"><span class=\"glyph\" aria-hidden=\"true\">·</span> never run</span>");

    public static string Count(long? n) => n is { } v ? v.ToString("#,0", Invariant) : "—";

    public static string Duration(long? ms)
    {
        if (ms is not { } v) return "—";
        if (v < 1000) return string.Create(Invariant, $"{v} ms");
        if (v < 60_000) return string.Create(Invariant, $"{v / 1000.0:0.0} s");
        var t = TimeSpan.FromMilliseconds(v);
        if (t.TotalHours < 1) return string.Create(Invariant, $"{(int)t.TotalMinutes} m {t.Seconds} s");
        return string.Create(Invariant, $"{(int)t.TotalHours} h {t.Minutes} m");
    }

    public static string Relative(DateTimeOffset when, DateTimeOffset now)
    {
        var d = now - when;
        var future = d < TimeSpan.Zero;
        var a = future ? -d : d;
        string text;
        if (a.TotalSeconds < 45) text = string.Create(Invariant, $"{Math.Max(0, (int)a.TotalSeconds)} s");
        else if (a.TotalMinutes < 60) text = string.Create(Invariant, $"{(int)Math.Round(a.TotalMinutes)} m");
        else if (a.TotalHours < 36) text = string.Create(Invariant, $"{(int)Math.Round(a.TotalHours)} h");
        else text = string.Create(Invariant, $"{(int)Math.Round(a.TotalDays)} d");
        if (!future && a.TotalSeconds < 5) return "just now";
        return future ? "in " + text : text + " ago";
    }

    /// <summary>A <c>&lt;time&gt;</c> with the relative text, and the absolute time in <paramref name="zone"/> (UTC by default) as its title.</summary>
    public static IHtmlContent When(DateTimeOffset? when, DateTimeOffset now, TimeZoneInfo? zone = null)
    {
        if (when is not { } w) return new HtmlString("<span class=\"muted\">—</span>");
        zone ??= TimeZoneInfo.Utc;
        var title = Absolute(w, zone);
        var iso = w.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", Invariant);
        return new HtmlString($"<time datetime=\"{iso}\" title=\"{WebUtility.HtmlEncode(title)}\" data-rel>{Relative(w, now)}</time>");
    }

    public static string Absolute(DateTimeOffset when, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(when, zone);
        var name = zone == TimeZoneInfo.Utc ? "UTC" : zone.Id;
        return local.ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " " + name;
    }

    public static string Strategy(Sync.Modules.MergeStrategy strategy) => strategy switch
    {
        Sync.Modules.MergeStrategy.Full => "full",
        Sync.Modules.MergeStrategy.Incremental => "incr",
        _ => "append",
    };
}
