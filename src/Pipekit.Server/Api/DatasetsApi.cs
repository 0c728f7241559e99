using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pipekit.Query.Catalog;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Api;

/// <summary><c>/api/datasets</c>: the files the query engine publishes as views, and refreshing them.</summary>
internal static class DatasetsApi
{
    public static RouteGroupBuilder MapDatasetsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/datasets").WithTags("datasets");
        group.MapGet("/", List);
        group.MapGet("/{name}", Get);
        // Adding and refreshing read files and S3 objects, not only the state store.
        group.MapPost("/", Add).Unlimited();
        group.MapPost("/refresh", Refresh).Unlimited();
        group.MapPost("/{name}/delete", Delete).Unlimited();
        return group;
    }

    internal static async Task<Ok<Page<DatasetDto>>> List(IDatasetStore datasets, CancellationToken ct) =>
        TypedResults.Ok(Page<DatasetDto>.All((await datasets.ListAsync(ct)).Select(DatasetDto.From).ToList()));

    internal static async Task<Results<Ok<DatasetDto>, ProblemHttpResult>> Get(string name, IDatasetStore datasets, CancellationToken ct) =>
        await datasets.FindAsync(name, ct) is { } d ? TypedResults.Ok(DatasetDto.From(d)) : Problems.NotFound($"dataset '{name}'");

    internal static async Task<Created<DatasetDto>> Add(DatasetInputDto input, DatasetEditor editor, CancellationToken ct)
    {
        var dataset = await editor.AddAsync(input.ToInput(), ct);
        return TypedResults.Created($"/api/datasets/{dataset.Name}", DatasetDto.From(dataset));
    }

    // ?force=true removes a dataset a Sync module registers (its module's next run registers it again).
    internal static async Task<NoContent> Delete(string name, DatasetEditor editor, CancellationToken ct, bool force = false)
    {
        await editor.RemoveAsync(name, force, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Ok<RefreshDto>> Refresh(DatasetRegistrar registrar, CancellationToken ct) =>
        TypedResults.Ok(RefreshDto.From(await registrar.RefreshAsync(ct)));
}
