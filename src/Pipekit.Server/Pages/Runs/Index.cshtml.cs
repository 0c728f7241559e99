using Microsoft.AspNetCore.Mvc;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Runs;

/// <summary>
/// <c>/runs</c>: the global run log, newest first, filtered by status, module, group and since (1 h, 24 h, 7 d),
/// 50 a page with a keyset cursor. "Errors in the last 24 h" is one click from the top bar's Runs.
/// </summary>
internal sealed class IndexModel(TimeProvider time, RunLogRepository runs, ModuleRepository modules, GroupRepository groups) : PipekitPage(time)
{
    public const int PageSize = 50;

    public static readonly IReadOnlyList<(string Key, string Label, TimeSpan? Span)> SinceOptions =
        [("1h", "last hour", TimeSpan.FromHours(1)), ("24h", "last 24 h", TimeSpan.FromHours(24)), ("7d", "last 7 days", TimeSpan.FromDays(7)), ("all", "any time", null)];

    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "module")] public long? ModuleId { get; set; }
    [BindProperty(SupportsGet = true, Name = "group")] public long? GroupId { get; set; }
    [BindProperty(SupportsGet = true, Name = "since")] public string? Since { get; set; }
    [BindProperty(SupportsGet = true, Name = "before")] public long? Before { get; set; }

    public IReadOnlyList<RunLogEntry> Rows { get; private set; } = [];
    public bool HasMore { get; private set; }
    public IReadOnlyList<Module> Modules { get; private set; } = [];
    public IReadOnlyList<Group> Groups { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        Modules = (await modules.ListAsync(ct)).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        Groups = (await groups.ListAsync(ct)).OrderBy(g => g.Name, StringComparer.Ordinal).ToList();
        RunStatus? status = null;
        if (!string.IsNullOrEmpty(Status))
        {
            try
            {
                status = RunStatusText.Parse(Status);
            }
            catch (ArgumentException)
            {
                Problem = $"'{Status}' is not a run status; showing every status.";
                Status = null;
            }
        }
        var span = SinceOptions.FirstOrDefault(o => o.Key == (Since ?? "all")).Span;
        var rows = await runs.ListAsync(new RunFilter
        {
            Status = status, ModuleId = ModuleId, GroupId = GroupId, Since = span is { } s ? Now - s : null, Before = Before,
            Limit = PageSize + 1, IncludeText = false,
        }, ct);
        HasMore = rows.Count > PageSize;
        Rows = rows.Take(PageSize).ToList();
    }

    public string Link(string? status = "", long? module = -1, long? group = -1, string? since = "", long? before = null)
    {
        var q = new List<string>();
        void Add(string k, string? v) { if (!string.IsNullOrEmpty(v)) q.Add(k + "=" + Uri.EscapeDataString(v)); }
        Add("status", status == "" ? Status : status);
        Add("module", (module == -1 ? ModuleId : module)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("group", (group == -1 ? GroupId : group)?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("since", since == "" ? Since : since);
        Add("before", before?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/runs" + (q.Count == 0 ? "" : "?" + string.Join("&", q));
    }
}
