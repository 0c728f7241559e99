using Microsoft.AspNetCore.Mvc;
using Pipekit.Core.Errors;
using Pipekit.Core.Scheduling;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Pages.Groups;

/// <summary>
/// <c>/groups/new</c> and <c>/groups/{id}</c>: name, stop_on_failure, members in order, and inline schedules (cron,
/// time zone, enabled) with their next three fire times; Run group. Saving goes through GroupEditor and ScheduleEditor.
/// </summary>
internal sealed class EditModel(TimeProvider time, GroupRepository groups, GroupEditor editor, ScheduleRepository scheduleRepository,
    ScheduleEditor schedules, ModuleRepository modules, RunCoordinator coordinator, GroupRunRepository groupRuns) : PipekitPage(time)
{
    public const int RecentRuns = 10;

    public Group? Current { get; private set; }
    public IReadOnlyList<Schedule> Schedules { get; private set; } = [];
    public IReadOnlyList<Module> Modules { get; private set; } = [];
    public string? Notice { get; private set; }
    public long? StartedGroupRun { get; private set; }
    public IReadOnlyList<GroupRun> Recent { get; private set; } = [];

    [BindProperty] public string? Name { get; set; }
    [BindProperty(Name = "stop_on_failure")] public bool StopOnFailure { get; set; }
    [BindProperty(Name = "member_id")] public List<long> MemberIds { get; set; } = [];
    [BindProperty(Name = "member_module")] public List<long> MemberModules { get; set; } = [];
    [BindProperty(Name = "member_remove")] public List<long> MemberRemove { get; set; } = [];
    [BindProperty(Name = "schedule_id")] public List<long> ScheduleIds { get; set; } = [];
    [BindProperty(Name = "schedule_cron")] public List<string?> ScheduleCrons { get; set; } = [];
    [BindProperty(Name = "schedule_timezone")] public List<string?> ScheduleZones { get; set; } = [];
    [BindProperty(Name = "schedule_enabled")] public List<string?> ScheduleEnabled { get; set; } = [];
    [BindProperty(Name = "schedule_remove")] public List<long> ScheduleRemove { get; set; } = [];

    public async Task<IActionResult> OnGetAsync(long? id, bool saved, long? started, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Name = Current?.Name;
        StopOnFailure = Current?.StopOnFailure ?? false;
        if (saved) Notice = "Saved.";
        if (started is { } s)
        {
            Notice = $"Group run #{s} started.";
            StartedGroupRun = s;
        }
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        try
        {
            var members = new List<GroupMember>();
            for (var i = 0; i < MemberModules.Count; i++)
            {
                var memberId = i < MemberIds.Count ? MemberIds[i] : 0;
                if (MemberModules[i] == 0 || memberId != 0 && MemberRemove.Contains(memberId)) continue;
                members.Add(new GroupMember(memberId, MemberModules[i], members.Count + 1));
            }
            Group group;
            if (Current is null)
                group = await editor.CreateAsync(new Group { Name = Name?.Trim() ?? "", StopOnFailure = StopOnFailure, Members = members }, ct);
            else
                group = await editor.UpdateAsync(Current.Id, g => g with { Name = Name?.Trim() ?? "", StopOnFailure = StopOnFailure, Members = members }, ct);
            await SaveSchedulesAsync(group.Id, ct);
            return Redirect($"/groups/{group.Id}?saved=true");
        }
        catch (PipekitException e)
        {
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    public async Task<IActionResult> OnPostRunAsync(long id, CancellationToken ct)
    {
        try
        {
            var groupRun = await coordinator.StartGroupRunAsync(id, "manual", false, ct);
            return Redirect($"/groups/{id}?started={groupRun}");
        }
        catch (PipekitException e)
        {
            if (!await LoadAsync(id, ct)) return NotFound();
            Name = Current?.Name;
            StopOnFailure = Current?.StopOnFailure ?? false;
            ModelState.AddModelError("", e.Message);
            return Page();
        }
    }

    private async Task SaveSchedulesAsync(long groupId, CancellationToken ct)
    {
        for (var i = 0; i < ScheduleCrons.Count; i++)
        {
            var scheduleId = i < ScheduleIds.Count ? ScheduleIds[i] : 0;
            var cron = ScheduleCrons[i]?.Trim();
            var zone = i < ScheduleZones.Count && !string.IsNullOrWhiteSpace(ScheduleZones[i]) ? ScheduleZones[i]!.Trim() : "UTC";
            var enabled = i >= ScheduleEnabled.Count || ScheduleEnabled[i] != "false";
            if (scheduleId != 0 && ScheduleRemove.Contains(scheduleId))
            {
                await schedules.DeleteAsync(scheduleId, ct);
                continue;
            }
            if (string.IsNullOrEmpty(cron)) continue;
            var draft = new Schedule { Id = scheduleId, TargetKind = "group", TargetId = groupId, CronExpr = cron, Timezone = zone, Enabled = enabled };
            if (scheduleId == 0) await schedules.CreateAsync(draft, ct);
            else await schedules.UpdateAsync(draft, ct);
        }
    }

    private async Task<bool> LoadAsync(long? id, CancellationToken ct)
    {
        Modules = (await modules.ListAsync(ct)).OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        if (id is null) return true;
        Current = await groups.GetAsync(id.Value, ct);
        if (Current is null) return false;
        Schedules = await scheduleRepository.ListAsync("group", id, null, ct);
        Recent = await groupRuns.ListAsync(id, null, RecentRuns, ct);
        return true;
    }
}
