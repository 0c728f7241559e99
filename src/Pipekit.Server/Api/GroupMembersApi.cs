using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Validation;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Groups;

namespace Pipekit.Server.Api;

/// <summary><c>/api/group-members</c>: a module's place in a group, one membership at a time.</summary>
internal static class GroupMembersApi
{
    public static RouteGroupBuilder MapGroupMembersApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/group-members").WithTags("group-members");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}", Update).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/delete", Delete).ProducesProblems(StatusCodes.Status404NotFound);
        return group;
    }

    internal static async Task<Ok<Page<GroupMemberDto>>> List([FromQuery(Name = "group_id")] long? groupId, [FromQuery(Name = "module_id")] long? moduleId,
        GroupEditor editor, CancellationToken ct) =>
        TypedResults.Ok(Page<GroupMemberDto>.All((await editor.ListMembersAsync(groupId, moduleId, ct)).Select(GroupMemberDto.From).ToList()));

    internal static async Task<Results<Ok<GroupMemberDto>, ProblemHttpResult>> Get(long id, GroupEditor editor, CancellationToken ct) =>
        await editor.GetMemberAsync(id, ct) is { } m ? TypedResults.Ok(GroupMemberDto.From(m)) : Problems.NotFound($"group member {id}");

    internal static async Task<Created<GroupMemberDto>> Create(GroupMemberInput input, GroupEditor editor, CancellationToken ct)
    {
        var errors = new ValidationErrors();
        if (input.GroupId is null) errors.Add("group_id", "is required");
        if (input.ModuleId is null) errors.Add("module_id", "is required");
        errors.ThrowIfAny();
        var saved = await editor.AddMemberAsync(input.GroupId!.Value, input.ModuleId!.Value, input.RunOrder ?? 0, ct);
        return TypedResults.Created($"/api/group-members/{saved.Id}", GroupMemberDto.From(saved));
    }

    internal static async Task<Results<Ok<GroupMemberDto>, ProblemHttpResult>> Update(long id, GroupMemberInput input, GroupEditor editor, CancellationToken ct)
    {
        if (await editor.GetMemberAsync(id, ct) is not { } current) return Problems.NotFound($"group member {id}");
        var saved = await editor.UpdateMemberAsync(id, input.GroupId, input.ModuleId ?? current.ModuleId, input.RunOrder ?? current.RunOrder, ct);
        return saved is null ? Problems.NotFound($"group member {id}") : TypedResults.Ok(GroupMemberDto.From(saved));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, GroupEditor editor, CancellationToken ct) =>
        await editor.DeleteMemberAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound($"group member {id}");
}
