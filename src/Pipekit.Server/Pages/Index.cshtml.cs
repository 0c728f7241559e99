using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Connections;
using Pipekit.Core.Scheduling;
using Pipekit.Server.Pages.Modules;
using Pipekit.Server.Pages.Shared;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages;

/// <summary>
/// <c>/</c>: what needs attention first, then the overview. The counts of modules per state (each a link to the Modules
/// page filtered to it); what is running or queued now (polled every 2 s); the failing modules, newest failure first;
/// the newest runs; modules grouped by source connection (seed 002's main screen), the first <see cref="SectionLimit"/>
/// of each by name with a link to the rest on the Modules page; groups with their schedules and next fire; the newest
/// pipeline runs. The page stays small however many modules there are: its size follows these limits, not the
/// module count.
/// </summary>
internal sealed class IndexModel(TimeProvider time, ConnectionRepository connections, LatestRuns latest, RunLogRepository runs,
    GroupRepository groups, ScheduleRepository schedules, Pipekit.Pipelines.State.PipelineRunRepository pipelineRuns) : PipekitPage(time)
{
    /// <summary>Failing modules shown; the rest are one click away.</summary>
    public const int AttentionLimit = 20;

    /// <summary>Modules shown per source connection.</summary>
    public const int SectionLimit = 10;

    /// <summary>The newest runs shown.</summary>
    public const int RecentRunLimit = 10;

    /// <summary>Groups shown; the Groups page has them all.</summary>
    public const int GroupLimit = 20;

    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>Every module matching the search, with the counts per state.</summary>
    public ModuleListing Listing { get; private set; } = ModuleListing.Of([], null, null);

    public IReadOnlyList<DashboardSection> Sections { get; private set; } = [];

    /// <summary>The failing modules (newest failure first), at most <see cref="AttentionLimit"/>.</summary>
    public IReadOnlyList<ModuleRow> Failing { get; private set; } = [];

    public IReadOnlyList<RunLogEntry> RecentRuns { get; private set; } = [];

    public IReadOnlyList<(Group Group, IReadOnlyList<Schedule> Schedules)> Groups { get; private set; } = [];

    public int GroupCount { get; private set; }

    public IReadOnlyList<RunLogEntry> Active { get; private set; } = [];

    /// <summary>The current names of the modules of <see cref="Active"/>.</summary>
    public IReadOnlyDictionary<long, string> ModuleNames { get; private set; } = new Dictionary<long, string>();

    public int ModuleCount { get; private set; }

    /// <summary>The five newest pipeline runs (the Pipelines tab has the rest).</summary>
    public IReadOnlyList<Pipekit.Pipelines.State.PipelineRun> PipelineRuns { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await latest.ModulesAsync(ct);
        var conns = (await connections.ListAsync(ct)).ToDictionary(c => c.Id);
        ModuleCount = all.Count;
        Listing = ModuleListing.Of(all, Query, null);
        Failing = Listing.InState(ModuleState.Failing).OrderByDescending(m => m.Last!.Id).Take(AttentionLimit).Select(m => new ModuleRow(m, Now)).ToList();
        Sections = Listing.Matches.GroupBy(m => m.SourceConnectionId)
            .Select(g => new DashboardSection(g.Key, conns.GetValueOrDefault(g.Key), g.Take(SectionLimit).Select(m => new ModuleRow(m, Now)).ToList(),
                g.Count(), g.Count(m => ModuleStates.Of(m) == ModuleState.Failing)))
            .OrderBy(s => s.Source?.Name ?? "", StringComparer.Ordinal).ToList();
        var allSchedules = await schedules.ListAsync("group", null, null, ct);
        var allGroups = await groups.ListAsync(ct);
        GroupCount = allGroups.Count;
        Groups = allGroups.OrderBy(g => g.Name, StringComparer.Ordinal).Take(GroupLimit)
            .Select(g => (g, (IReadOnlyList<Schedule>)allSchedules.Where(s => s.TargetId == g.Id).ToList())).ToList();
        Active = await latest.ActiveAsync(ct);
        ModuleNames = NamesOf(Active, all);
        RecentRuns = await runs.ListAsync(new RunFilter { Limit = RecentRunLimit, IncludeText = false }, ct);
        PipelineRuns = await pipelineRuns.ListAsync(null, null, null, 5, ct);
    }

    /// <summary>The running/queued strip alone, for the 2 s poll.</summary>
    public async Task<IActionResult> OnGetActiveAsync(CancellationToken ct)
    {
        Active = await latest.ActiveAsync(ct);
        if (Active.Count > 0) ModuleNames = NamesOf(Active, await latest.ModulesAsync(ct));
        return Partial("_Active", this);
    }

    /// <summary>The Modules page's address for <paramref name="state"/> and/or <paramref name="source"/>, with this page's search.</summary>
    public string ModulesLink(ModuleState? state = null, long? source = null)
    {
        var parts = new List<string>();
        if (!string.IsNullOrWhiteSpace(Query)) parts.Add("q=" + Uri.EscapeDataString(Query.Trim()));
        if (state is { } s) parts.Add("state=" + ModuleStates.Key(s));
        if (source is { } id) parts.Add("source=" + id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/modules" + (parts.Count == 0 ? "" : "?" + string.Join("&", parts));
    }

    /// <summary>True when an enabled schedule's next fire is more than a minute past: the scheduler is behind or not running.</summary>
    public bool IsLate(Schedule s) => s.Enabled && s.NextFireAt is { } next && next < Now - TimeSpan.FromMinutes(1);

    private static Dictionary<long, string> NamesOf(IReadOnlyList<RunLogEntry> active, IReadOnlyList<ModuleStatus> all)
    {
        var wanted = active.Where(r => r.ModuleId is not null).Select(r => r.ModuleId!.Value).ToHashSet();
        var names = new Dictionary<long, string>(wanted.Count);
        if (wanted.Count == 0) return names;
        foreach (var m in all)
        {
            if (wanted.Contains(m.ModuleId)) names[m.ModuleId] = m.Name;
        }
        return names;
    }

    public static DateTimeOffset? NextFire(Schedule s, DateTimeOffset now)
    {
        if (!s.Enabled) return null;
        if (s.NextFireAt is { } next) return next;
        try
        {
            return CronSchedule.Parse(s.CronExpr, s.Timezone).NextAfter(now);
        }
        catch (Core.Errors.InvalidInputException)
        {
            return null;
        }
    }
}
