using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Validation;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Hooks;

namespace Pipekit.Server.Api;

/// <summary><c>/api/hooks</c>: a module's post-merge SQL, one hook at a time.</summary>
internal static class HooksApi
{
    public static RouteGroupBuilder MapHooksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/hooks").WithTags("hooks");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}", Update).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/delete", Delete).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    internal static async Task<Ok<Page<HookDto>>> List([FromQuery(Name = "module_id")] long? moduleId, HookEditor hooks, CancellationToken ct) =>
        TypedResults.Ok(Page<HookDto>.All((await hooks.ListAsync(moduleId, ct)).Select(HookDto.From).ToList()));

    internal static async Task<Results<Ok<HookDto>, ProblemHttpResult>> Get(long id, HookEditor hooks, CancellationToken ct) =>
        await hooks.GetAsync(id, ct) is { } h ? TypedResults.Ok(HookDto.From(h)) : Problems.NotFound($"hook {id}");

    internal static async Task<Created<HookDto>> Create(HookInput input, HookEditor hooks, CancellationToken ct)
    {
        if (input.ModuleId is null) throw new ValidationException("module_id", "is required");
        var errors = new ValidationErrors();
        var draft = input.ToHook(input.ModuleId.Value, "hook", errors);
        errors.ThrowIfAny();
        var saved = await hooks.CreateAsync(draft, ct);
        return TypedResults.Created($"/api/hooks/{saved.Id}", HookDto.From(saved));
    }

    internal static async Task<Results<Ok<HookDto>, ProblemHttpResult>> Update(long id, HookInput input, HookEditor hooks, CancellationToken ct)
    {
        if (await hooks.GetAsync(id, ct) is not { } current) return Problems.NotFound($"hook {id}");
        var saved = await hooks.UpdateAsync(input.Apply(current), ct);
        return saved is null ? Problems.NotFound($"hook {id}") : TypedResults.Ok(HookDto.From(saved));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, HookEditor hooks, CancellationToken ct) =>
        await hooks.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound($"hook {id}");
}
