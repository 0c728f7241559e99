using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Files;

namespace Pipekit.Server.Api;

/// <summary><c>/api/apply</c> and <c>/api/export</c>: the Sync state as project files, the same code as <c>pipekit apply</c> and <c>pipekit export</c>.</summary>
internal static class ProjectApi
{
    public static IEndpointRouteBuilder MapProjectApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/api/apply", Apply).WithTags("project").ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        routes.MapGet("/api/export", Export).WithTags("project");
        return routes;
    }

    internal static async Task<Ok<ApplyResultDto>> Apply(ApplyInput input, SyncFileApplier applier, CancellationToken ct)
    {
        var options = new ApplyOptions { DryRun = input.DryRun ?? false, Prune = input.Prune ?? false };
        return TypedResults.Ok(ApplyResultDto.From(await applier.ApplyAsync(input.Parse(), options, ct), options));
    }

    internal static async Task<ContentHttpResult> Export(ProjectExporter exporter, CancellationToken ct) =>
        TypedResults.Text(await exporter.ExportAsync(ct), "application/toml; charset=utf-8");
}
