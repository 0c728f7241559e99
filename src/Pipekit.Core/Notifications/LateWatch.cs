using Microsoft.Extensions.Logging;
using Pipekit.Core.Scheduling;

namespace Pipekit.Core.Notifications;

/// <summary>
/// The <c>late</c> half of the SLA rules: a scheduled group or pipeline whose rule has <c>late_after</c> and that has not
/// finished a run within that long after its schedule fired sends one <c>late</c> message for that fire. The server
/// calls <see cref="CheckAsync"/> every half minute; the claim row makes each alert go out once, whichever node sees it.
/// </summary>
public sealed class LateWatch(ScheduleRepository schedules, ScheduleTargets targets, NotificationRepository repository, NotificationSettings settings,
    Notifier notifier, TimeProvider time, ILogger<LateWatch> logger)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    /// <summary>Sends the late alerts due now; returns how many it sent.</summary>
    public async Task<int> CheckAsync(CancellationToken cancellationToken)
    {
        var rules = await settings.RulesAsync(cancellationToken);
        if (rules.All(r => r.LateAfter is null)) return 0;
        var now = time.GetUtcNow();
        var sent = 0;
        IReadOnlyList<NotificationChannel>? channels = null;
        foreach (var schedule in await schedules.ListAsync(null, null, true, cancellationToken))
        {
            if (schedule.LastFiredAt is not { } fired || !targets.Kinds.Contains(schedule.TargetKind)) continue;
            if (schedule.TargetKind is not (NotificationRule.Group or NotificationRule.Pipeline)) continue;
            var name = await targets.Get(schedule.TargetKind).FindNameAsync(schedule.TargetId, cancellationToken);
            if (name is null) continue;
            var rule = NotificationSettings.Resolve(rules, schedule.TargetKind, name);
            if (rule.LateAfter is not { } late || now < fired + late) continue;
            if (await repository.FinishedSinceAsync(schedule.TargetKind, name, fired, cancellationToken)) continue;
            if (!await repository.TryClaimLateAsync(schedule.Id, fired, cancellationToken)) continue;
            channels ??= await settings.ChannelsAsync(cancellationToken);
            logger.LogInformation("{Kind} {Target} has not finished {Late} after its schedule fired at {Fired}; sending a late alert",
                schedule.TargetKind, name, late, fired);
            notifier.Deliver(rule, channels, new NotificationMessage
            {
                Event = "late",
                TargetKind = schedule.TargetKind,
                TargetName = name,
                Status = "late",
                ScheduledAt = fired,
                Error = $"not finished {Configuration.DurationText.Format(late)} after the schedule fired",
                Link = settings.BaseUrl + (schedule.TargetKind == NotificationRule.Group ? $"/groups/{schedule.TargetId}" : $"/pipelines/{Uri.EscapeDataString(name)}"),
            });
            sent++;
        }
        return sent;
    }
}
