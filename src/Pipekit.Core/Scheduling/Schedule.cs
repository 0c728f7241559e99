namespace Pipekit.Core.Scheduling;

/// <summary>A <c>schedule</c> row: a cron expression that starts runs of one target, such as a group or a pipeline.</summary>
public sealed record Schedule
{
    public long Id { get; init; }

    /// <summary>What kind of thing the schedule runs (<c>group</c>, <c>pipeline</c>); a registered <see cref="IScheduleTarget"/> kind.</summary>
    public required string TargetKind { get; init; }

    /// <summary>The id of the group, pipeline, … of <see cref="TargetKind"/>.</summary>
    public long TargetId { get; init; }

    public required string CronExpr { get; init; }

    /// <summary>IANA zone the expression is read in.</summary>
    public string Timezone { get; init; } = "UTC";

    public bool Enabled { get; init; } = true;

    /// <summary>When the scheduler last fired this schedule; the compare-and-swap token.</summary>
    public DateTimeOffset? LastFiredAt { get; init; }

    /// <summary>The next occurrence the scheduler waits for; null when disabled.</summary>
    public DateTimeOffset? NextFireAt { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
