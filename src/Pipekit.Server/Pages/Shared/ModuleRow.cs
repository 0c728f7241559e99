using System.Net;
using System.Text;
using Microsoft.AspNetCore.Html;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Shared;

/// <summary>
/// One module line of the dashboard and the module list. Written straight to HTML rather than through a partial
/// view: the Modules page draws a hundred of them a page. A row whose run is
/// active polls itself every 2 s (htmx) and stops once the run has ended.
/// </summary>
internal sealed record ModuleRow(ModuleStatus Module, DateTimeOffset Now)
{
    public static ModuleRow Of(Module m, RunLogEntry? last, DateTimeOffset now) =>
        new(new ModuleStatus(m.Id, m.Name, m.SourceConnectionId, m.DestTable, m.MergeStrategy, m.Enabled, last), now);

    public bool Active => Module.Last is { Status: RunStatus.Running or RunStatus.Queued };

    /// <param name="idPrefix">Goes before the row's <c>module-{id}</c> element id when a page shows the module twice.</param>
    public IHtmlContent Html(string idPrefix = "")
    {
        var m = Module;
        var last = m.Last;
        var sb = new StringBuilder(640);
        sb.Append("<tr data-name=\"").Append(E(m.Name.ToLowerInvariant())).Append("\" id=\"").Append(idPrefix).Append("module-").Append(m.ModuleId).Append('"');
        if (!m.Enabled) sb.Append(" class=\"is-disabled\"");
        if (Active) sb.Append(" hx-get=\"/modules/").Append(m.ModuleId).Append("?handler=Row\" hx-trigger=\"every 2s\" hx-swap=\"outerHTML\"");
        sb.Append("><td>");
        if (!m.Enabled) sb.Append(Show.Disabled());
        else if (last is null) sb.Append(Show.NeverRun());
        else sb.Append("<a href=\"/runs/").Append(last.Id).Append("\">").Append(Show.Status(last.Status)).Append("</a>");
        sb.Append("</td><td><a href=\"/modules/").Append(m.ModuleId).Append("\"><strong>").Append(E(m.Name)).Append("</strong></a></td>");
        sb.Append("<td><span class=\"pill\">").Append(Show.Strategy(m.Strategy)).Append("</span></td>");
        sb.Append("<td class=\"mono clip\" title=\"").Append(E(m.DestTable)).Append("\">").Append(E(m.DestTable)).Append("</td>");
        sb.Append("<td>").Append(Show.When(last?.StartedAt, Now)).Append("</td>");
        sb.Append("<td class=\"num\">").Append(last is { Status: RunStatus.Error } ? "—" : Show.Count(last?.RowCount)).Append("</td>");
        sb.Append("<td class=\"num\">").Append(Show.Duration(last?.DurationMs)).Append("</td><td class=\"clip\">");
        if (last is { Status: RunStatus.Error, Error: { } error })
        {
            var head = error.Split('\n')[0];
            if (head.Length > 90) head = head[..90] + "…";
            sb.Append("<span class=\"st-error mono\" title=\"").Append(E(error)).Append("\">").Append(E(head)).Append("</span>");
        }
        sb.Append("</td></tr>");
        return new HtmlString(sb.ToString());
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
