using Pipekit.Core.Validation;

namespace Pipekit.Core.Scheduling;

/// <summary>
/// Creates, changes and deletes schedules: the target, the cron expression and the zone are checked first (a bad one
/// changes nothing), <c>next_fire_at</c> is computed the way the scheduler will, and a sleeping scheduler is woken.
/// </summary>
public sealed class ScheduleEditor
{
    private readonly ScheduleRepository _schedules;
    private readonly ScheduleChanges _changes;
    private readonly ScheduleTargets _targets;
    private readonly TimeProvider _time;

    public ScheduleEditor(ScheduleRepository schedules, ScheduleChanges changes, ScheduleTargets targets, TimeProvider time)
    {
        _schedules = schedules;
        _targets = targets;
        _changes = changes;
        _time = time;
    }

    public async Task<Schedule> CreateAsync(Schedule draft, CancellationToken cancellationToken)
    {
        var schedule = await PrepareAsync(draft with { Id = 0, LastFiredAt = null }, cancellationToken);
        var saved = await _schedules.AddAsync(schedule, cancellationToken);
        _changes.Notify();
        return saved;
    }

    /// <summary>Replaces what schedule <c>schedule.Id</c> is, keeping when it last fired; null when it does not exist.</summary>
    public async Task<Schedule?> UpdateAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        var current = await _schedules.GetAsync(schedule.Id, cancellationToken);
        if (current is null) return null;
        var prepared = await PrepareAsync(schedule with { LastFiredAt = current.LastFiredAt, CreatedAt = current.CreatedAt }, cancellationToken);
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

    private async Task<Schedule> PrepareAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        var target = _targets.Get(schedule.TargetKind);
        if (schedule.TargetId <= 0) throw new ValidationException("target_id", $"is required (the id of the {target.Kind} to run)");
        var cron = CronSchedule.Parse(schedule.CronExpr, schedule.Timezone);
        if (await target.FindNameAsync(schedule.TargetId, cancellationToken) is null)
            throw new ValidationException("target_id", $"{target.Kind} {schedule.TargetId} does not exist");
        return schedule with
        {
            CronExpr = cron.Expression,
            Timezone = cron.Zone.Id,
            NextFireAt = schedule.Enabled ? cron.NextFire(schedule.LastFiredAt, schedule.CreatedAt == default ? _time.GetUtcNow() : schedule.CreatedAt) : null,
        };
    }
}
