using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;

namespace Pipekit.Server.Pages.Pipelines;

/// <summary>
/// A DAG's task graph as inline SVG drawn on the server, left to right: a task's column is its depth (the longest chain of
/// dependencies before it), rows within a column follow the average row of the task's dependencies to keep edges short.
/// Each node is a link (to the task's row on the page), so the graph is reachable by keyboard and needs no script; on a run
/// page the nodes carry their task's status as colour, glyph and title.
/// </summary>
internal static class DagGraph
{
    private const int NodeWidth = 176;
    private const int NodeHeight = 32;
    private const int ColumnGap = 56;
    private const int RowGap = 12;
    private const int Pad = 8;
    private const int MaxLabel = 22;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The column of each task; a task in a cycle or with unknown dependencies still gets a column.</summary>
    public static IReadOnlyDictionary<string, int> Depths(IReadOnlyList<PitTask> tasks)
    {
        var byName = new Dictionary<string, PitTask>(StringComparer.Ordinal);
        foreach (var t in tasks) byName.TryAdd(t.Name, t);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        var visiting = new HashSet<string>(StringComparer.Ordinal);
        int Of(string name)
        {
            if (depth.TryGetValue(name, out var known)) return known;
            if (!visiting.Add(name)) return 0; // a cycle: validation reports it, the drawing just breaks it here
            var d = 0;
            foreach (var dep in byName[name].DependsOn)
                if (byName.ContainsKey(dep)) d = Math.Max(d, Of(dep) + 1);
            visiting.Remove(name);
            depth[name] = d;
            return d;
        }
        foreach (var t in byName.Keys) Of(t);
        return depth;
    }

    /// <param name="tasks">The DAG's tasks, in file order.</param>
    /// <param name="statuses">The status of each task (a run page), or null (the DAG page).</param>
    /// <param name="anchor">The fragment each node links to, from the task name.</param>
    public static IHtmlContent Render(IReadOnlyList<PitTask> tasks, IReadOnlyDictionary<string, TaskRunStatus>? statuses, Func<string, string> anchor)
    {
        if (tasks.Count == 0) return new HtmlString("<p class=\"muted\">This DAG has no tasks.</p>");
        var depths = Depths(tasks);
        var names = tasks.Select(t => t.Name).Distinct(StringComparer.Ordinal).ToList();
        var columns = names.GroupBy(n => depths[n]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var row = new Dictionary<string, double>(StringComparer.Ordinal);
        var byName = tasks.GroupBy(t => t.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        for (var c = 0; c < columns.Count; c++)
        {
            if (c > 0)
            {
                // One barycentre pass: order a column by the mean row of each task's drawn dependencies (stable for ties).
                var order = columns[c].Select((n, i) => (n, i, key: Mean(byName[n].DependsOn.Where(row.ContainsKey).Select(d => row[d]).ToList(), i)))
                    .OrderBy(x => x.key).ThenBy(x => x.i).Select(x => x.n).ToList();
                columns[c] = order;
            }
            for (var i = 0; i < columns[c].Count; i++) row[columns[c][i]] = i;
        }

        var tallest = columns.Max(c => c.Count);
        var width = Pad * 2 + columns.Count * NodeWidth + (columns.Count - 1) * ColumnGap;
        var height = Pad * 2 + tallest * NodeHeight + (tallest - 1) * RowGap;
        double X(string n) => Pad + depths[n] * (NodeWidth + ColumnGap);
        double Y(string n) => Pad + row[n] * (NodeHeight + RowGap);

        var svg = new StringBuilder();
        svg.Append(Invariant, $"<svg class=\"dag\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"group\" aria-label=\"Task graph: {tasks.Count} tasks in {columns.Count} layers\">");
        svg.Append("<defs><marker id=\"dag-arrow\" viewBox=\"0 0 8 8\" refX=\"8\" refY=\"4\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto-start-reverse\"><path d=\"M0 0 L8 4 L0 8 z\" class=\"arrow\"/></marker></defs>");
        foreach (var name in names)
        {
            foreach (var dep in byName[name].DependsOn.Distinct(StringComparer.Ordinal).Where(row.ContainsKey))
            {
                var (x1, y1) = (X(dep) + NodeWidth, Y(dep) + NodeHeight / 2.0);
                var (x2, y2) = (X(name) - 2, Y(name) + NodeHeight / 2.0);
                var bend = Math.Max(24, (x2 - x1) / 2);
                var blocked = statuses is not null && statuses.TryGetValue(dep, out var ds) && ds is TaskRunStatus.Failed or TaskRunStatus.UpstreamFailed;
                svg.Append(Invariant, $"<path class=\"edge{(blocked ? " blocked" : "")}\" d=\"M{x1:0.#} {y1:0.#} C{x1 + bend:0.#} {y1:0.#} {x2 - bend:0.#} {y2:0.#} {x2:0.#} {y2:0.#}\" marker-end=\"url(#dag-arrow)\"><title>{Encode(dep)} → {Encode(name)}</title></path>");
            }
        }
        foreach (var name in names)
        {
            var task = byName[name];
            TaskRunStatus? status = statuses is not null && statuses.TryGetValue(name, out var s) ? s : null;
            var css = status is { } st ? "node st-" + st.ToText() : "node";
            var label = name.Length > MaxLabel ? name[..(MaxLabel - 1)] + "…" : name;
            var glyph = status is { } g ? PipelineShow.Glyph(g) + " " : "";
            var title = new StringBuilder(name).Append(" · ").Append(Runner(task));
            if (status is { } t) title.Append(" · ").Append(PipelineShow.Word(t));
            if (task.DependsOn.Count > 0) title.Append(" · after ").Append(string.Join(", ", task.DependsOn));
            var (x, y) = (X(name), Y(name));
            svg.Append(Invariant, $"<a href=\"{Encode(anchor(name))}\" class=\"{css}\" data-task=\"{Encode(name)}\"><title>{Encode(title.ToString())}</title>");
            svg.Append(Invariant, $"<rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"4\"/>");
            svg.Append(Invariant, $"<text x=\"{x + 10:0.#}\" y=\"{y + NodeHeight / 2.0 + 4:0.#}\">{Encode(glyph + label)}</text></a>");
        }
        svg.Append("</svg>");
        return new HtmlString("<div class=\"dag-scroll\">" + svg + "</div>");
    }

    /// <summary>How a task runs, as the project file would say it ("python", "sql", "$ cmd"), or why it cannot.</summary>
    public static string Runner(PitTask task) => RunnerChoice.For(task, out var problem)?.ToString() ?? problem ?? "unknown runner";

    private static double Mean(IReadOnlyList<double> values, int fallback) => values.Count == 0 ? fallback : values.Average();

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
