using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Runs;

namespace Pipekit.Server.Api;

/// <summary><c>/api/groups</c>: ordered sets of modules, and running or cancelling one.</summary>
internal static class GroupsApi
{
    public static RouteGroupBuilder MapGroupsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/groups").WithTags("groups");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}", Update).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/delete", Delete).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/run", Run).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/cancel", Cancel).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    internal static async Task<Ok<Page<GroupDto>>> List(string? name, GroupRepository groups, CancellationToken ct) =>
        TypedResults.Ok(Page<GroupDto>.All((await groups.ListAsync(ct))
            .Where(g => name is null || g.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
            .Select(GroupDto.From).ToList()));

    internal static async Task<Results<Ok<GroupDto>, ProblemHttpResult>> Get(long id, GroupRepository groups, CancellationToken ct) =>
        await groups.GetAsync(id, ct) is { } g ? TypedResults.Ok(GroupDto.From(g)) : Problems.NotFound($"group {id}");

    internal static async Task<Created<GroupDto>> Create(GroupInput input, GroupEditor editor, CancellationToken ct)
    {
        var saved = await editor.CreateAsync(input.ToGroup(null), ct);
        return TypedResults.Created($"/api/groups/{saved.Id}", GroupDto.From(saved));
    }

    internal static async Task<Ok<GroupDto>> Update(long id, GroupInput input, GroupEditor editor, CancellationToken ct) =>
        TypedResults.Ok(GroupDto.From(await editor.UpdateAsync(id, input.ToGroup, ct)));

    internal static async Task<NoContent> Delete(long id, GroupEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Accepted<GroupRunStartedDto>> Run(long id, [FromBody] RunRequest? request, RunCoordinator coordinator, CancellationToken ct)
    {
        var groupRunId = await coordinator.StartGroupRunAsync(id, "api", request?.DryRun ?? false, ct);
        return TypedResults.Accepted($"/api/group-runs/{groupRunId}", new GroupRunStartedDto(groupRunId));
    }

    internal static async Task<Accepted<GroupRunStartedDto>> Cancel(long id, RunCoordinator coordinator, CancellationToken ct)
    {
        var groupRunId = await coordinator.CancelGroupAsync(id, ct);
        return TypedResults.Accepted($"/api/group-runs/{groupRunId}", new GroupRunStartedDto(groupRunId));
    }
}
