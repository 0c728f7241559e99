using Pipekit.Core.Scheduling;
using Pipekit.Core.Validation;

namespace Pipekit.Server.Api.Contracts;

internal sealed record ScheduleDto(long Id, long GroupId, string CronExpr, string Timezone, bool Enabled, DateTimeOffset? LastFiredAt,
    DateTimeOffset? NextFireAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ScheduleDto From(Schedule s) => new(s.Id, s.GroupId, s.CronExpr, s.Timezone, s.Enabled, s.LastFiredAt, s.NextFireAt, s.CreatedAt, s.UpdatedAt);
}

/// <summary>Body of schedule create and update; on update a field left out keeps its value.</summary>
internal sealed record ScheduleInput(long? GroupId, string? CronExpr, string? Timezone, bool? Enabled)
{
    public Schedule ToSchedule(Schedule? current)
    {
        if (current is null && GroupId is null) throw new ValidationException("group_id", "is required (the id of the group to run)");
        return new Schedule
        {
            Id = current?.Id ?? 0,
            GroupId = GroupId ?? current!.GroupId,
            CronExpr = CronExpr ?? current?.CronExpr ?? "",
            Timezone = Timezone ?? current?.Timezone ?? "UTC",
            Enabled = Enabled ?? current?.Enabled ?? true,
            LastFiredAt = current?.LastFiredAt,
        };
    }
}
