using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Columns;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Verification;

namespace Pipekit.Server.Api;

/// <summary><c>/api/modules</c>: sync modules, and the operations on one — preview, columns, run, cancel, its runs.</summary>
internal static class ModulesApi
{
    public static RouteGroupBuilder MapModulesApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/modules").WithTags("modules");
        group.MapGet("/", List).ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapGet("/{id:long}", Get).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}", Update).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/delete", Delete).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id:long}/preview", Preview).Unlimited().ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:long}/columns", Columns).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/run", Run).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/cancel", Cancel).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapGet("/{id:long}/lock", Lock).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/{id:long}/clear-lock", ClearLock).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/verify", Verify).Unlimited()
            .ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:long}/runs", Runs).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound);
        return group;
    }

    internal static async Task<Ok<Page<ModuleDto>>> List([FromQuery(Name = "source_connection_id")] long? sourceConnectionId,
        [FromQuery(Name = "dest_connection_id")] long? destConnectionId, bool? enabled, int? limit, long? cursor, ModuleRepository modules,
        CancellationToken ct)
    {
        var take = Limits.Check(limit);
        var rows = await modules.ListAsync(new ModuleFilter
        {
            SourceConnectionId = sourceConnectionId, DestConnectionId = destConnectionId, Enabled = enabled, After = cursor, Limit = take + 1,
        }, ct);
        return TypedResults.Ok(Page<ModuleDto>.Of(rows.Select(ModuleDto.From).ToList(), take, m => m.Id));
    }

    internal static async Task<Results<Ok<ModuleDto>, ProblemHttpResult>> Get(long id, ModuleRepository modules, CancellationToken ct) =>
        await modules.GetAsync(id, ct) is { } m ? TypedResults.Ok(ModuleDto.From(m)) : Problems.NotFound($"module {id}");

    internal static async Task<Created<ModuleDto>> Create(ModuleInput input, ModuleEditor editor, CancellationToken ct)
    {
        var saved = await editor.CreateAsync(input.ToModule(null), ct);
        return TypedResults.Created($"/api/modules/{saved.Id}", ModuleDto.From(saved));
    }

    internal static async Task<Ok<ModuleDto>> Update(long id, ModuleInput input, ModuleEditor editor, CancellationToken ct) =>
        TypedResults.Ok(ModuleDto.From(await editor.UpdateAsync(id, input.ToModule, ct)));

    internal static async Task<NoContent> Delete(long id, ModuleEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<PreviewDto>> Preview(long id, ModulePreviewer previewer, CancellationToken ct) =>
        TypedResults.Ok(PreviewDto.From(await previewer.PreviewAsync(id, ct)));

    internal static async Task<Results<Ok<ModuleColumnsDto>, ProblemHttpResult>> Columns(long id, ModuleRepository modules, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } module) return Problems.NotFound($"module {id}");
        var parsed = SelectListParser.Parse(module.SourceQuery);
        return TypedResults.Ok(new ModuleColumnsDto(id, parsed.Parsed, parsed.Error, parsed.Columns.Select(SelectColumnDto.From).ToList(), module.Columns));
    }

    internal static async Task<Accepted<RunStartedDto>> Run(long id, [FromBody] RunRequest? request, RunCoordinator coordinator, CancellationToken ct)
    {
        var runId = await coordinator.StartModuleRunAsync(id, "api", request?.DryRun ?? false, ct);
        return TypedResults.Accepted($"/api/runs/{runId}", new RunStartedDto(runId));
    }

    internal static async Task<Accepted<RunStartedDto>> Cancel(long id, RunCoordinator coordinator, CancellationToken ct)
    {
        var runId = await coordinator.CancelModuleAsync(id, ct);
        return TypedResults.Accepted($"/api/runs/{runId}", new RunStartedDto(runId));
    }

    /// <summary>Who holds the module's lock (host, pid, since) and whether the holder is provably gone, which "Clear lock" needs.</summary>
    internal static async Task<Results<Ok<LockDto>, ProblemHttpResult>> Lock(long id, ModuleRepository modules, CancellationToken ct) =>
        await modules.GetAsync(id, ct) is { } m ? TypedResults.Ok(LockDto.From(LockState.Of(m))) : Problems.NotFound($"module {id}");

    /// <summary>"Clear lock": only when the holder is provably gone; the run it left open is recorded as interrupted.</summary>
    internal static async Task<Results<Ok<LockClearedDto>, ProblemHttpResult>> ClearLock(long id, ModuleRepository modules, StaleLockSweeper sweeper,
        CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is not { } m) return Problems.NotFound($"module {id}");
        var run = await sweeper.ClearGoneHolderAsync(m, ct);
        return TypedResults.Ok(new LockClearedDto(id, run == 0 ? null : run));
    }

    /// <summary>Compares source and destination now (the code behind <c>pipekit verify</c>); drift is a 200 with <c>match: false</c>.</summary>
    internal static async Task<Ok<VerifyResult>> Verify(long id, [FromBody] VerifyInput? input, ModuleRepository modules, ModuleVerifier verifier,
        CancellationToken ct)
    {
        var module = await modules.GetAsync(id, ct) ?? throw new ModuleNotFoundException($"with id {id}");
        return TypedResults.Ok(await verifier.VerifyAsync(id, (input ?? new VerifyInput(null, null, null)).ToRequest(module), ct));
    }

    internal static async Task<Results<Ok<Page<RunSummaryDto>>, ProblemHttpResult>> Runs(long id, string? status, DateTimeOffset? since, int? limit,
        long? cursor, ModuleRepository modules, RunLogRepository runs, CancellationToken ct)
    {
        if (await modules.GetAsync(id, ct) is null) return Problems.NotFound($"module {id}");
        return TypedResults.Ok(await RunsApi.PageAsync(runs, id, status, since, limit, cursor, ct));
    }
}
