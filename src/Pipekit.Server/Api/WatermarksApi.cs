using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Validation;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Server.Api;

/// <summary><c>/api/watermarks</c>: a module's named placeholders, one at a time; each change is checked with the whole module.</summary>
internal static class WatermarksApi
{
    public static RouteGroupBuilder MapWatermarksApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/watermarks").WithTags("watermarks");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}", Update).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/delete", Delete).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return group;
    }

    internal static async Task<Ok<Page<WatermarkDto>>> List([FromQuery(Name = "module_id")] long? moduleId, WatermarkEditor watermarks, CancellationToken ct) =>
        TypedResults.Ok(Page<WatermarkDto>.All((await watermarks.ListAsync(moduleId, ct)).Select(WatermarkDto.From).ToList()));

    internal static async Task<Results<Ok<WatermarkDto>, ProblemHttpResult>> Get(long id, WatermarkEditor watermarks, CancellationToken ct) =>
        await watermarks.GetAsync(id, ct) is { } w ? TypedResults.Ok(WatermarkDto.From(w)) : Problems.NotFound($"watermark {id}");

    internal static async Task<Created<WatermarkDto>> Create(WatermarkInput input, WatermarkEditor watermarks, CancellationToken ct)
    {
        if (input.ModuleId is null) throw new ValidationException("module_id", "is required");
        var errors = new ValidationErrors();
        var draft = input.ToWatermark(input.ModuleId.Value, "watermark", errors);
        errors.ThrowIfAny();
        var saved = await watermarks.CreateAsync(draft, ct);
        return TypedResults.Created($"/api/watermarks/{saved.Id}", WatermarkDto.From(saved));
    }

    internal static async Task<Results<Ok<WatermarkDto>, ProblemHttpResult>> Update(long id, WatermarkInput input, WatermarkEditor watermarks,
        CancellationToken ct)
    {
        if (await watermarks.GetAsync(id, ct) is not { } current) return Problems.NotFound($"watermark {id}");
        var saved = await watermarks.UpdateAsync(input.Apply(current), ct);
        return saved is null ? Problems.NotFound($"watermark {id}") : TypedResults.Ok(WatermarkDto.From(saved));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, WatermarkEditor watermarks, CancellationToken ct) =>
        await watermarks.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound($"watermark {id}");
}
