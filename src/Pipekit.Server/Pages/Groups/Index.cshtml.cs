using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Scheduling;
using Pipekit.Sync.Groups;

namespace Pipekit.Server.Pages.Groups;

/// <summary><c>/groups</c>: groups with their members, schedules and next fire; and the next-fires fragment the schedule rows ask for as you type.</summary>
internal sealed class IndexModel(TimeProvider time, GroupRepository groups, ScheduleRepository schedules, GroupRunRepository groupRuns) : PipekitPage(time)
{
    public IReadOnlyList<(Group Group, IReadOnlyList<Schedule> Schedules)> Groups { get; private set; } = [];

    public IReadOnlyList<GroupRun> Recent { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var all = await schedules.ListAsync("group", null, null, ct);
        Groups = (await groups.ListAsync(ct)).OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => (g, (IReadOnlyList<Schedule>)all.Where(s => s.TargetId == g.Id).ToList())).ToList();
        Recent = await groupRuns.ListAsync(null, null, 20, ct);
    }

    /// <summary><c>GET /groups?handler=NextFires&amp;cron=…&amp;timezone=…</c>: the next three fire times (htmx fragment).</summary>
    public IActionResult OnGetNextFires(string? cron, string? timezone) => Partial("_NextFires", NextFires.Of(cron, timezone, Now));
}
