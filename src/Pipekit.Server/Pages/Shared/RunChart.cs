using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Shared;

/// <summary>
/// A small server-drawn SVG of a module's recent runs, oldest on the left: one bar per run for its duration (red
/// when it failed) against the left axis, and the row counts as a line against the right axis. Each run has a
/// tooltip with its id, status, duration and rows; the axes carry their maxima.
/// </summary>
internal static class RunChart
{
    private const int Width = 560, Height = 120, Left = 48, Right = 56, Top = 10, Bottom = 22;

    public static IHtmlContent Draw(IReadOnlyList<RunLogEntry> newestFirst)
    {
        var runs = newestFirst.Where(r => r.Status.IsFinished()).Reverse().ToList();
        if (runs.Count < 2) return new HtmlString("<p class=\"muted\">The chart appears after two finished runs.</p>");
        var inv = CultureInfo.InvariantCulture;
        var maxMs = Math.Max(1, runs.Max(r => r.DurationMs ?? 0));
        var maxRows = Math.Max(1, runs.Max(r => r.RowCount ?? 0));
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        var step = (double)plotW / runs.Count;
        var bar = Math.Max(2, step * 0.6);
        var svg = new StringBuilder();
        svg.Append(inv, $"<svg class=\"chart\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"Duration and rows of the last {runs.Count} runs\">");
        svg.Append(inv, $"<line class=\"grid\" x1=\"{Left}\" y1=\"{Top}\" x2=\"{Width - Right}\" y2=\"{Top}\"/>");
        svg.Append(inv, $"<line class=\"axis\" x1=\"{Left}\" y1=\"{Top + plotH}\" x2=\"{Width - Right}\" y2=\"{Top + plotH}\"/>");
        svg.Append(inv, $"<text x=\"{Left - 4}\" y=\"{Top + 4}\" text-anchor=\"end\">{Show.Duration(maxMs)}</text>");
        svg.Append(inv, $"<text x=\"{Left - 4}\" y=\"{Top + plotH}\" text-anchor=\"end\">0</text>");
        svg.Append(inv, $"<text x=\"{Width - Right + 4}\" y=\"{Top + 4}\">{Show.Count(maxRows)} rows</text>");
        svg.Append(inv, $"<text x=\"{Width - Right + 4}\" y=\"{Top + plotH}\">0</text>");
        svg.Append(inv, $"<text x=\"{Left}\" y=\"{Height - 6}\">#{runs[0].Id}</text>");
        svg.Append(inv, $"<text x=\"{Width - Right}\" y=\"{Height - 6}\" text-anchor=\"end\">#{runs[^1].Id}</text>");
        var points = new List<string>();
        for (var i = 0; i < runs.Count; i++)
        {
            var r = runs[i];
            var x = Left + step * i + (step - bar) / 2;
            var h = plotH * (double)(r.DurationMs ?? 0) / maxMs;
            var tip = WebUtility.HtmlEncode($"run #{r.Id} · {Show.Word(r.Status)} · {Show.Duration(r.DurationMs)} · {Show.Count(r.RowCount)} rows");
            svg.Append(inv, $"<a href=\"/runs/{r.Id}\"><rect class=\"bar{(r.Status == RunStatus.Error ? " error" : "")}\" x=\"{x:0.#}\" y=\"{Top + plotH - h:0.#}\" width=\"{bar:0.#}\" height=\"{Math.Max(1, h):0.#}\"><title>{tip}</title></rect></a>");
            var cy = Top + plotH - plotH * (double)(r.RowCount ?? 0) / maxRows;
            points.Add(string.Create(inv, $"{Left + step * i + step / 2:0.#},{cy:0.#}"));
        }
        svg.Append(inv, $"<polyline class=\"line\" points=\"{string.Join(' ', points)}\"/>");
        foreach (var (p, r) in points.Zip(runs))
        {
            var xy = p.Split(',');
            svg.Append(inv, $"<circle class=\"dot\" cx=\"{xy[0]}\" cy=\"{xy[1]}\" r=\"2.5\"><title>run #{r.Id}: {Show.Count(r.RowCount)} rows</title></circle>");
        }
        svg.Append("</svg>");
        svg.Append("<div class=\"legend\"><span><i style=\"background:var(--accent)\"></i>duration (left axis)</span><span><i style=\"background:var(--ok)\"></i>rows (right axis)</span><span><i style=\"background:var(--err)\"></i>failed run</span></div>");
        return new HtmlString(svg.ToString());
    }
}
