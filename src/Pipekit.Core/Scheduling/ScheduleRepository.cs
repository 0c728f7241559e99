using System.Data.Common;
using Dapper;
using Pipekit.Core.State;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Scheduling;

/// <summary>The <c>schedule</c> table. Firing is a compare-and-swap on <c>last_fired_at</c> (see <see cref="TryMarkFiredAsync"/>).</summary>
public sealed class ScheduleRepository
{
    private const string Select =
        "SELECT id, target_kind, target_id, cron_expr, timezone, enabled, last_fired_at, next_fire_at, created_at, updated_at FROM schedule";

    private readonly StateStore _store;
    private readonly TimeProvider _time;

    public ScheduleRepository(StateStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    /// <summary>Schedules in id order, optionally of one target kind, one target and/or only enabled (or disabled) ones.</summary>
    public async Task<IReadOnlyList<Schedule>> ListAsync(string? targetKind, long? targetId, bool? enabled, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE (@targetKind IS NULL OR target_kind = @targetKind) AND (@targetId IS NULL OR target_id = @targetId) AND (@enabled IS NULL OR enabled = @enabled) ORDER BY id",
            new { targetKind, targetId, enabled = enabled is null ? (long?)null : enabled.Value ? 1L : 0L }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToSchedule()).ToList();
    }

    public async Task<Schedule?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToSchedule();
    }

    /// <summary>Inserts a schedule; the editor has checked that its target exists.</summary>
    public async Task<Schedule> AddAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await AddAsync(c, null, schedule, cancellationToken);
    }

    /// <inheritdoc cref="AddAsync(Schedule, CancellationToken)"/>
    public Task<Schedule> AddAsync(Schedule schedule, StateTransaction transaction, CancellationToken cancellationToken) =>
        AddAsync(transaction.Connection, transaction.Transaction, schedule, cancellationToken);

    /// <summary>Changes what a schedule is; its fire history stays. False when it does not exist.</summary>
    public async Task<bool> UpdateAsync(Schedule schedule, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await UpdateAsync(c, null, schedule, cancellationToken);
    }

    /// <inheritdoc cref="UpdateAsync(Schedule, CancellationToken)"/>
    public Task<bool> UpdateAsync(Schedule schedule, StateTransaction transaction, CancellationToken cancellationToken) =>
        UpdateAsync(transaction.Connection, transaction.Transaction, schedule, cancellationToken);

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM schedule WHERE id = @id", new { id }, cancellationToken: cancellationToken)) > 0;
    }

    /// <inheritdoc cref="DeleteAsync(long, CancellationToken)"/>
    public async Task<bool> DeleteAsync(long id, StateTransaction transaction, CancellationToken cancellationToken) =>
        await transaction.Connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM schedule WHERE id = @id", new { id }, transaction.Transaction, cancellationToken: cancellationToken)) > 0;

    private async Task<Schedule> AddAsync(DbConnection c, DbTransaction? tx, Schedule schedule, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        try
        {
            var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO schedule (target_kind, target_id, cron_expr, timezone, enabled, last_fired_at, next_fire_at, created_at, updated_at)
                VALUES (@TargetKind, @TargetId, @CronExpr, @Timezone, @Enabled, @LastFiredAt, @NextFireAt, @Now, @Now) RETURNING id
                """, Parameters(schedule, now), tx, cancellationToken: cancellationToken));
            return schedule with { Id = id, CreatedAt = now, UpdatedAt = now };
        }
        catch (DbException ex) when (_store.IsForeignKeyViolation(ex))
        {
            throw TargetGone(schedule);
        }
    }

    private async Task<bool> UpdateAsync(DbConnection c, DbTransaction? tx, Schedule schedule, CancellationToken cancellationToken)
    {
        try
        {
            return await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE schedule SET target_kind = @TargetKind, target_id = @TargetId, cron_expr = @CronExpr, timezone = @Timezone, enabled = @Enabled,
                    next_fire_at = @NextFireAt, updated_at = @Now
                WHERE id = @Id
                """, Parameters(schedule, _time.GetUtcNow()), tx, cancellationToken: cancellationToken)) > 0;
        }
        catch (DbException ex) when (_store.IsForeignKeyViolation(ex))
        {
            throw TargetGone(schedule);
        }
    }

    // The part owning the target kind refuses a schedule of a target that is gone (a trigger), which catches a delete
    // that ran between the editor's check and this write.
    private static ValidationException TargetGone(Schedule schedule) =>
        new("target_id", $"{schedule.TargetKind} {schedule.TargetId} does not exist (it was deleted while the schedule was saved)");

    /// <summary>
    /// Claims one fire: moves <c>last_fired_at</c> from the value the caller read (<paramref name="seen"/>, null when
    /// never fired) to <paramref name="now"/>. Only one of several racing schedulers sees true; the others read a
    /// value that no longer matches and change nothing.
    /// </summary>
    public async Task<bool> TryMarkFiredAsync(long id, DateTimeOffset? seen, DateTimeOffset now, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE schedule SET last_fired_at = @now, next_fire_at = @next WHERE id = @id AND last_fired_at IS NOT DISTINCT FROM @seen",
            new { id, seen = Format(seen), now = StateClock.Format(now), next = Format(next) }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Records the occurrence the scheduler now waits for, for display.</summary>
    public async Task SetNextFireAsync(long id, DateTimeOffset? next, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE schedule SET next_fire_at = @next WHERE id = @id", new { id, next = Format(next) }, cancellationToken: cancellationToken));
    }

    private static string? Format(DateTimeOffset? value) => value is { } v ? StateClock.Format(v) : null;

    private static object Parameters(Schedule s, DateTimeOffset now) => new
    {
        s.Id, s.TargetKind, s.TargetId, s.CronExpr, s.Timezone, Enabled = s.Enabled ? 1L : 0L, LastFiredAt = Format(s.LastFiredAt),
        NextFireAt = Format(s.NextFireAt), Now = StateClock.Format(now),
    };

#pragma warning disable IDE1006
    private sealed record Row(long id, string target_kind, long target_id, string cron_expr, string timezone, long enabled, string? last_fired_at, string? next_fire_at,
        string created_at, string updated_at)
    {
        public Schedule ToSchedule() => new()
        {
            Id = id, TargetKind = target_kind, TargetId = target_id, CronExpr = cron_expr, Timezone = timezone, Enabled = enabled != 0,
            LastFiredAt = last_fired_at is null ? null : StateClock.Parse(last_fired_at),
            NextFireAt = next_fire_at is null ? null : StateClock.Parse(next_fire_at),
            CreatedAt = StateClock.Parse(created_at), UpdatedAt = StateClock.Parse(updated_at),
        };
    }
#pragma warning restore IDE1006
}
