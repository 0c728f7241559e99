using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Configuration;
using Pipekit.Core.Validation;

namespace Pipekit.Core.Scheduling;

/// <summary>
/// Fires runs of schedule targets (groups, pipelines) from cron schedules (seed 002 "Scheduler"). For each enabled schedule it takes the first
/// occurrence after <c>last_fired_at</c> (or after its creation when it never fired); once that has passed it
/// claims the fire with a compare-and-swap on <c>last_fired_at</c> and only then starts the run through the target's
/// <see cref="IScheduleTarget"/>, with
/// <c>triggered_by = schedule:{id}</c>. A restart or a second Pipekit process therefore never fires an occurrence
/// twice, and occurrences missed while nothing ran fire once, not once each.
/// </summary>
public sealed class Scheduler
{
    /// <summary>Meter of the scheduler's instruments (fires, lag).</summary>
    public const string MeterName = "Pipekit.Scheduling";

    private readonly ScheduleRepository _schedules;
    private readonly ScheduleTargets _targets;
    private readonly ScheduleChanges _changes;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxSleep;
    private readonly ILogger _logger;
    private readonly Counter<long>? _fires;
    private readonly Histogram<double>? _lag;

    public Scheduler(ScheduleRepository schedules, ScheduleTargets targets, ScheduleChanges changes, TimeProvider time, PipekitConfig config,
        ILogger<Scheduler>? logger = null, IMeterFactory? meters = null)
    {
        _schedules = schedules;
        _targets = targets;
        _changes = changes;
        _time = time;
        _maxSleep = TimeSpan.FromSeconds(config.Scheduler.MaxSleepSeconds);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        if (meters is not null)
        {
            var meter = meters.Create(MeterName);
            _fires = meter.CreateCounter<long>("pipekit_scheduler_fires", description: "Schedule fires that started a run");
            _lag = meter.CreateHistogram<double>("pipekit_scheduler_lag", unit: "s", description: "Delay between a cron occurrence and its fire");
        }
    }

    /// <summary>Looks at every enabled schedule once, fires the due ones, and returns when to look again (at most the longest sleep away).</summary>
    public async Task<DateTimeOffset> TickAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var wake = now + _maxSleep;
        foreach (var schedule in await _schedules.ListAsync(targetKind: null, targetId: null, enabled: true, cancellationToken))
        {
            CronSchedule cron;
            try
            {
                cron = CronSchedule.Parse(schedule.CronExpr, schedule.Timezone);
            }
            catch (ValidationException ex)
            {
                _logger.LogWarning("Schedule {ScheduleId} is skipped: {Error}", schedule.Id, ex.Message);
                continue;
            }
            var occurrence = cron.NextFire(schedule.LastFiredAt, schedule.CreatedAt);
            if (occurrence is { } due && due <= now)
            {
                var next = cron.NextAfter(now);
                if (await _schedules.TryMarkFiredAsync(schedule.Id, schedule.LastFiredAt, now, next, cancellationToken))
                    await FireAsync(schedule, due, now, cancellationToken);
                occurrence = next;
            }
            else if (occurrence != schedule.NextFireAt)
            {
                await _schedules.SetNextFireAsync(schedule.Id, occurrence, cancellationToken);
            }
            if (occurrence is { } upcoming && upcoming < wake) wake = upcoming;
        }
        return wake;
    }

    /// <summary>Ticks until cancelled, sleeping until the next due time (capped) or until schedules change.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        _logger.LogInformation("Scheduler started (longest sleep {MaxSleep} s)", _maxSleep.TotalSeconds);
        while (!cancellationToken.IsCancellationRequested)
        {
            var seen = _changes.Version;
            var wake = _time.GetUtcNow() + _maxSleep;
            try
            {
                wake = await TickAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogError(ex, "Scheduler tick failed; trying again in {MaxSleep} s", _maxSleep.TotalSeconds);
            }
            var delay = wake - _time.GetUtcNow();
            if (delay > _maxSleep) delay = _maxSleep;
            if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
            try
            {
                await _changes.WaitAsync(seen, delay, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task FireAsync(Schedule schedule, DateTimeOffset occurrence, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lag = now - occurrence;
        _fires?.Add(1);
        _lag?.Record(lag.TotalSeconds);
        try
        {
            var runId = await _targets.Get(schedule.TargetKind).StartScheduledRunAsync(schedule.TargetId, $"schedule:{schedule.Id}", cancellationToken);
            _logger.LogInformation("Schedule {ScheduleId} fired for {Occurrence:o} ({Lag} s late): {TargetKind} {TargetId} run {RunId}",
                schedule.Id, occurrence, lag.TotalSeconds, schedule.TargetKind, schedule.TargetId, runId);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The fire is claimed already; starting it again would break "never twice", so it is logged and dropped.
            _logger.LogWarning("Schedule {ScheduleId} fired for {Occurrence:o} but {TargetKind} {TargetId} did not start: {Error}",
                schedule.Id, occurrence, schedule.TargetKind, schedule.TargetId, ex.Message);
        }
    }
}
