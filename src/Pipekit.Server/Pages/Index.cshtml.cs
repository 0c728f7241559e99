using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Connections;
using Pipekit.Core.Scheduling;
using Pipekit.Server.Pages.Shared;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages;

/// <summary>
/// <c>/</c>: modules grouped by source connection with their newest run (seed 002's main screen), groups with their
/// schedules and next fire, what is running or queued now (polled every 2 s), and the newest pipeline runs.
/// </summary>
internal sealed class IndexModel(TimeProvider time, ConnectionRepository connections, LatestRuns latest,
    GroupRepository groups, ScheduleRepository schedules, Pipekit.Pipelines.State.PipelineRunRepository pipelineRuns) : PipekitPage(time)
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    public IReadOnlyList<(ConnectionRecord? Source, IReadOnlyList<ModuleRow> Rows)> Sections { get; private set; } = [];

    public IReadOnlyList<(Group Group, IReadOnlyList<Schedule> Schedules)> Groups { get; private set; } = [];

    public IReadOnlyList<RunLogEntry> Active { get; private set; } = [];

    public IReadOnlyDictionary<long, string> ModuleNames { get; private set; } = new Dictionary<long, string>();

    public int ModuleCount { get; private set; }

    /// <summary>The five newest pipeline runs (the Pipelines tab has the rest).</summary>
    public IReadOnlyList<Pipekit.Pipelines.State.PipelineRun> PipelineRuns { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await latest.ModulesAsync(ct);
        var conns = (await connections.ListAsync(ct)).ToDictionary(c => c.Id);
        ModuleCount = all.Count;
        ModuleNames = all.ToDictionary(m => m.ModuleId, m => m.Name);
        var shown = string.IsNullOrWhiteSpace(Query) ? all : all.Where(m => m.Name.Contains(Query.Trim(), StringComparison.OrdinalIgnoreCase)).ToList();
        Sections = shown.GroupBy(m => m.SourceConnectionId)
            .Select(g => (conns.GetValueOrDefault(g.Key), (IReadOnlyList<ModuleRow>)g.OrderBy(m => m.Name, StringComparer.Ordinal)
                .Select(m => new ModuleRow(m, Now)).ToList()))
            .OrderBy(s => s.Item1?.Name ?? "", StringComparer.Ordinal).ToList();
        var allSchedules = await schedules.ListAsync("group", null, null, ct);
        Groups = (await groups.ListAsync(ct)).OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => (g, (IReadOnlyList<Schedule>)allSchedules.Where(s => s.TargetId == g.Id).ToList())).ToList();
        Active = await latest.ActiveAsync(ct);
        PipelineRuns = await pipelineRuns.ListAsync(null, null, null, 5, ct);
    }

    /// <summary>The running/queued strip alone, for the 2 s poll.</summary>
    public async Task<IActionResult> OnGetActiveAsync(CancellationToken ct)
    {
        Active = await latest.ActiveAsync(ct);
        ModuleNames = (await latest.ModulesAsync(ct)).ToDictionary(m => m.ModuleId, m => m.Name);
        return Partial("_Active", this);
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
