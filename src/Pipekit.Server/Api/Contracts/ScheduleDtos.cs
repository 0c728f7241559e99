using Pipekit.Core.Scheduling;
using Pipekit.Core.Validation;

namespace Pipekit.Server.Api.Contracts;

internal sealed record ScheduleDto(long Id, string TargetKind, long TargetId, string CronExpr, string Timezone, bool Enabled,
    DateTimeOffset? LastFiredAt, DateTimeOffset? NextFireAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ScheduleDto From(Schedule s) =>
        new(s.Id, s.TargetKind, s.TargetId, s.CronExpr, s.Timezone, s.Enabled, s.LastFiredAt, s.NextFireAt, s.CreatedAt, s.UpdatedAt);
}

/// <summary>
/// Body of schedule create and update; on update a field left out keeps its value. <c>group_id</c> is shorthand for
/// <c>target_kind = "group"</c> with that <c>target_id</c>.
/// </summary>
internal sealed record ScheduleInput(string? TargetKind, long? TargetId, long? GroupId, string? CronExpr, string? Timezone, bool? Enabled)
{
    public Schedule ToSchedule(Schedule? current)
    {
        if (GroupId is not null && (TargetId is not null || (TargetKind is not null && TargetKind != "group")))
            throw new ValidationException("group_id", "is shorthand for target_kind \"group\" with target_id; send one or the other");
        var kind = GroupId is not null ? "group" : TargetKind ?? current?.TargetKind;
        var id = GroupId ?? TargetId ?? current?.TargetId;
        if (kind is null) throw new ValidationException("target_kind", "is required (what the schedule runs, e.g. \"group\")");
        if (id is null) throw new ValidationException("target_id", "is required (the id of what the schedule runs)");
        return new Schedule
        {
            Id = current?.Id ?? 0,
            TargetKind = kind,
            TargetId = id.Value,
            CronExpr = CronExpr ?? current?.CronExpr ?? "",
            Timezone = Timezone ?? current?.Timezone ?? "UTC",
            Enabled = Enabled ?? current?.Enabled ?? true,
            LastFiredAt = current?.LastFiredAt,
        };
    }
}
