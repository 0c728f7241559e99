using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Connections;
using Pipekit.Server.Pages.Shared;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Modules;

/// <summary>
/// <c>/modules</c>: every module by name, 100 a page with a keyset cursor (<c>after</c>/<c>before</c> a module name),
/// filtered by a name search (<c>q</c>), a state (<c>state</c>: failing, running, never_run, …) and a source connection
/// (<c>source</c>); the counts per state link to their filter. The dashboard's "show all" links land here.
/// </summary>
internal sealed class IndexModel(TimeProvider time, LatestRuns latest, ConnectionRepository connections) : PipekitPage(time)
{
    public const int PageSize = 100;

    [BindProperty(SupportsGet = true, Name = "q")] public string? Query { get; set; }
    [BindProperty(SupportsGet = true, Name = "state")] public string? State { get; set; }
    [BindProperty(SupportsGet = true, Name = "source")] public long? Source { get; set; }
    [BindProperty(SupportsGet = true, Name = "after")] public string? After { get; set; }
    [BindProperty(SupportsGet = true, Name = "before")] public string? Before { get; set; }

    public IReadOnlyList<ModuleRow> Rows { get; private set; } = [];
    public ModulePage Paged { get; private set; } = new([], 0, 0, false, false);
    public ModuleListing Listing { get; private set; } = ModuleListing.Of([], null, null);
    public IReadOnlyList<ConnectionRecord> Sources { get; private set; } = [];
    public int AllCount { get; private set; }
    public string? Problem { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await latest.ModulesAsync(ct);
        AllCount = all.Count;
        var used = all.Select(m => m.SourceConnectionId).ToHashSet();
        Sources = (await connections.ListAsync(ct)).Where(c => used.Contains(c.Id)).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        ModuleState? state = null;
        if (!string.IsNullOrEmpty(State))
        {
            if (ModuleStates.TryParse(State, out var parsed)) state = parsed;
            else
            {
                Problem = $"'{State}' is not a module state ({string.Join(", ", ModuleStates.All.Select(ModuleStates.Key))}); showing every state.";
                State = null;
            }
        }
        Listing = ModuleListing.Of(all, Query, Source);
        Paged = ModuleListing.Page(Listing.InState(state), After, Before, PageSize);
        Rows = Paged.Rows.Select(m => new ModuleRow(m, Now)).ToList();
    }

    /// <summary>This page's address with some filters changed; a changed filter starts again at the first page.</summary>
    public string Link(string? q = "", string? state = "", long? source = -1, string? after = null, string? before = null)
    {
        var parts = new List<string>();
        void Add(string k, string? v) { if (!string.IsNullOrEmpty(v)) parts.Add(k + "=" + Uri.EscapeDataString(v)); }
        Add("q", q == "" ? Query : q);
        Add("state", state == "" ? State : state);
        Add("source", (source == -1 ? Source : source)?.ToString(CultureInfo.InvariantCulture));
        Add("after", after);
        Add("before", before);
        return "/modules" + (parts.Count == 0 ? "" : "?" + string.Join("&", parts));
    }
}
