using Pipekit.Core.Validation;

namespace Pipekit.Core.Scheduling;

/// <summary>
/// Creates, changes and deletes schedules: the cron expression and zone are checked first (a bad one changes
/// nothing), <c>next_fire_at</c> is computed the way the scheduler will, and a sleeping scheduler is woken.
/// </summary>
public sealed class ScheduleEditor
{
    private readonly ScheduleRepository _schedules;
    private readonly ScheduleChanges _changes;
    private readonly TimeProvider _time;

    public ScheduleEditor(ScheduleRepository schedules, ScheduleChanges changes, TimeProvider time)
    {
        _schedules = schedules;
        _changes = changes;
        _time = time;
    }

    public async Task<Schedule> CreateAsync(Schedule draft, CancellationToken cancellationToken)
    {
        var schedule = Prepare(draft with { Id = 0, LastFiredAt = null });
        var saved = await _schedules.AddAsync(schedule, cancellationToken);
        _changes.Notify();
        return saved;
    }

    /// <summary>Replaces what schedule <c>schedule.Id</c> is, keeping when it last fired; null when it does not exist.</summary>
    public async Task<Schedule?> UpdateAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        var current = await _schedules.GetAsync(schedule.Id, cancellationToken);
        if (current is null) return null;
        var prepared = Prepare(schedule with { LastFiredAt = current.LastFiredAt });
        if (!await _schedules.UpdateAsync(prepared, cancellationToken)) return null;
        _changes.Notify();
        return await _schedules.GetAsync(schedule.Id, cancellationToken);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var deleted = await _schedules.DeleteAsync(id, cancellationToken);
        if (deleted) _changes.Notify();
        return deleted;
    }

    private Schedule Prepare(Schedule schedule)
    {
        if (schedule.GroupId <= 0) throw new ValidationException("group_id", "is required (the id of the group to run)");
        var cron = CronSchedule.Parse(schedule.CronExpr, schedule.Timezone);
        return schedule with
        {
            CronExpr = cron.Expression,
            Timezone = cron.Zone.Id,
            NextFireAt = schedule.Enabled ? cron.NextFire(schedule.LastFiredAt, _time.GetUtcNow()) : null,
        };
    }
}
