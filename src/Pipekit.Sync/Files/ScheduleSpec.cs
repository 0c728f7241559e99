namespace Pipekit.Sync.Files;

/// <summary>A <c>[[groups.schedules]]</c> entry: when the group runs. A schedule is known by its expression and zone.</summary>
public sealed record ScheduleSpec(string CronExpr, string Timezone, bool Enabled);
