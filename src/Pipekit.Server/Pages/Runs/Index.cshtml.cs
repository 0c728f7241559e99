using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Validation;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Runs;

/// <summary>
/// <c>/runs</c>: the global run log, newest first, filtered by status, module, group and since (1 h, 24 h, 7 d),
/// 50 a page with a keyset cursor. "Errors in the last 24 h" is one click from the top bar's Runs. The Started, Status,
/// Rows and Duration headers sort on the server (click again to reverse); a sorted log pages by number, and every link
/// keeps the filters and the sort.
/// </summary>
internal sealed class IndexModel(TimeProvider time, RunLogRepository runs, ModuleRepository modules, GroupRepository groups) : PipekitPage(time)
{
    public const int PageSize = 50;

    public static readonly IReadOnlyList<(string Key, string Label, TimeSpan? Span)> SinceOptions =
        [("1h", "last hour", TimeSpan.FromHours(1)), ("24h", "last 24 h", TimeSpan.FromHours(24)), ("7d", "last 7 days", TimeSpan.FromDays(7)), ("all", "any time", null)];

    [BindProperty(SupportsGet = true, Name = "status")] public string? Status { get; set; }
    [BindProperty(SupportsGet = true, Name = "module")] public long? ModuleId { get; set; }

    /// <summary>The filter form's module box: a name, resolved here, so the page never lists every module.</summary>
    [BindProperty(SupportsGet = true, Name = "module_name")] public string? ModuleName { get; set; }
    [BindProperty(SupportsGet = true, Name = "group")] public long? GroupId { get; set; }
    [BindProperty(SupportsGet = true, Name = "since")] public string? Since { get; set; }
    [BindProperty(SupportsGet = true, Name = "before")] public long? Before { get; set; }
    [BindProperty(SupportsGet = true, Name = "sort")] public string? Sort { get; set; }
    [BindProperty(SupportsGet = true, Name = "dir")] public string? Dir { get; set; }
    [BindProperty(SupportsGet = true, Name = "page")] public int? PageNumber { get; set; }

    /// <summary>The sortable columns: the query value and the order it gives.</summary>
    public static readonly IReadOnlyDictionary<string, RunSort> SortKeys = new Dictionary<string, RunSort>(StringComparer.Ordinal)
    {
        ["started"] = RunSort.Started, ["duration"] = RunSort.Duration, ["rows"] = RunSort.Rows, ["status"] = RunSort.Status,
    };

    public bool Ascending => Dir == "asc";

    public IReadOnlyList<RunLogEntry> Rows { get; private set; } = [];
    public bool HasMore { get; private set; }
    public IReadOnlyList<Group> Groups { get; private set; } = [];
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        await ResolveModuleAsync(ct);
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
                Warn($"'{Status}' is not a run status; showing every status.");
                Status = null;
            }
        }
        var sort = RunSort.Newest;
        if (!string.IsNullOrEmpty(Sort) && !SortKeys.TryGetValue(Sort, out sort))
        {
            Warn($"'{Sort}' is not a sortable column (started, duration, rows, status); showing the newest first.");
            Sort = null;
        }
        if (Dir is not (null or "asc" or "desc")) Dir = null;
        if (PageNumber is < 1) PageNumber = null;
        var span = SinceOptions.FirstOrDefault(o => o.Key == (Since ?? "all")).Span;
        var rows = await runs.ListAsync(new RunFilter
        {
            Status = status, ModuleId = ModuleId, GroupId = GroupId, Since = span is { } s ? Now - s : null,
            Before = Sort is null ? Before : null, Sort = sort, Descending = !Ascending, Offset = Sort is null ? 0 : ((PageNumber ?? 1) - 1) * PageSize,
            Limit = PageSize + 1, IncludeText = false,
        }, ct);
        HasMore = rows.Count > PageSize;
        Rows = rows.Take(PageSize).ToList();
    }

    private void Warn(string problem) => Problem = Problem is null ? problem : Problem + " " + problem;

    /// <summary>
    /// A typed module name becomes the <c>module</c> filter; a name that matches no module is a warning with the
    /// nearest name, and the filter is dropped. A <c>module</c> id from a link shows its name in the box.
    /// </summary>
    private async Task ResolveModuleAsync(CancellationToken ct)
    {
        var typed = ModuleName?.Trim();
        if (!string.IsNullOrEmpty(typed))
        {
            if (await modules.FindAsync(typed, ct) is { } named)
            {
                ModuleId = named.Id;
                ModuleName = named.Name;
                return;
            }
            var names = (await modules.ListAsync(ct)).Select(m => m.Name);
            Warn($"No module is named '{typed}'{ClosestName.Hint(typed, names)}; showing every module.");
            ModuleId = null;
            return;
        }
        ModuleName = ModuleId is { } id ? (await modules.GetAsync(id, ct))?.Name : null;
    }

    public string Link(string? status = "", long? module = -1, long? group = -1, string? since = "", long? before = null, string? sort = "",
        string? dir = "", int? page = null)
    {
        var q = new List<string>();
        void Add(string k, string? v) { if (!string.IsNullOrEmpty(v)) q.Add(k + "=" + Uri.EscapeDataString(v)); }
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        Add("status", status == "" ? Status : status);
        Add("module", (module == -1 ? ModuleId : module)?.ToString(inv));
        Add("group", (group == -1 ? GroupId : group)?.ToString(inv));
        Add("since", since == "" ? Since : since);
        Add("sort", sort == "" ? Sort : sort);
        Add("dir", dir == "" ? Dir : dir);
        Add("before", before?.ToString(inv));
        Add("page", page is > 1 ? page.Value.ToString(inv) : null);
        return "/runs" + (q.Count == 0 ? "" : "?" + string.Join("&", q));
    }

    /// <summary>A column header's link: sorts by <paramref name="key"/> (largest or latest first), or reverses the current sort; back to page 1.</summary>
    public string SortLink(string key) => Link(sort: key, dir: Sort == key && !Ascending ? "asc" : null);

    /// <summary><c>ascending</c>, <c>descending</c> or <c>none</c>, for the header's <c>aria-sort</c>.</summary>
    public string AriaSort(string key) => Sort != key ? "none" : Ascending ? "ascending" : "descending";

    public string SortMark(string key) => Sort != key ? "" : Ascending ? " ▲" : " ▼";
}
