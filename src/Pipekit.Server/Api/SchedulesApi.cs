using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Scheduling;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Api;

/// <summary><c>/api/schedules</c>: cron schedules of groups and other targets, with their time zone and computed next fire time.</summary>
internal static class SchedulesApi
{
    public static RouteGroupBuilder MapSchedulesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/schedules").WithTags("schedules");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create);
        group.MapPost("/{id:long}", Update);
        group.MapPost("/{id:long}/delete", Delete);
        return group;
    }

    internal static async Task<Ok<Page<ScheduleDto>>> List([FromQuery(Name = "target_kind")] string? targetKind, [FromQuery(Name = "target_id")] long? targetId,
        [FromQuery(Name = "group_id")] long? groupId, bool? enabled, ScheduleRepository schedules, CancellationToken ct)
    {
        if (groupId is not null) (targetKind, targetId) = ("group", groupId);
        return TypedResults.Ok(Page<ScheduleDto>.All((await schedules.ListAsync(targetKind, targetId, enabled, ct)).Select(ScheduleDto.From).ToList()));
    }

    internal static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> Get(long id, ScheduleRepository schedules, CancellationToken ct) =>
        await schedules.GetAsync(id, ct) is { } s ? TypedResults.Ok(ScheduleDto.From(s)) : Problems.NotFound($"schedule {id}");

    internal static async Task<Created<ScheduleDto>> Create(ScheduleInput input, ScheduleEditor editor, CancellationToken ct)
    {
        var saved = await editor.CreateAsync(input.ToSchedule(null), ct);
        return TypedResults.Created($"/api/schedules/{saved.Id}", ScheduleDto.From(saved));
    }

    internal static async Task<Results<Ok<ScheduleDto>, ProblemHttpResult>> Update(long id, ScheduleInput input, ScheduleRepository schedules,
        ScheduleEditor editor, CancellationToken ct)
    {
        if (await schedules.GetAsync(id, ct) is not { } current) return Problems.NotFound($"schedule {id}");
        return await editor.UpdateAsync(input.ToSchedule(current), ct) is { } saved
            ? TypedResults.Ok(ScheduleDto.From(saved))
            : Problems.NotFound($"schedule {id}");
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, ScheduleEditor editor, CancellationToken ct) =>
        await editor.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound($"schedule {id}");
}
