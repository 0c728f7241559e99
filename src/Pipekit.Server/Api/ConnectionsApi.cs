using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Connections;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Api;

/// <summary><c>/api/connections</c>: named database connections, and testing one.</summary>
internal static class ConnectionsApi
{
    public static RouteGroupBuilder MapConnectionsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/connections").WithTags("connections");
        group.MapGet("/", List);
        group.MapGet("/{id:long}", Get).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapPost("/", Create).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}", Update).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/delete", Delete).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        group.MapPost("/{id:long}/test", Test).Unlimited().ProducesProblems(StatusCodes.Status404NotFound);
        return group;
    }

    internal static async Task<Ok<Page<ConnectionDto>>> List(string? driver, string? name, ConnectionRepository connections, CancellationToken ct)
    {
        var all = await connections.ListAsync(ct);
        return TypedResults.Ok(Page<ConnectionDto>.All(all
            .Where(c => driver is null || c.Driver.Equals(driver, StringComparison.OrdinalIgnoreCase))
            .Where(c => name is null || c.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
            .Select(ConnectionDto.From).ToList()));
    }

    internal static async Task<Results<Ok<ConnectionDto>, ProblemHttpResult>> Get(long id, ConnectionRepository connections, CancellationToken ct) =>
        await connections.GetAsync(id, ct) is { } c ? TypedResults.Ok(ConnectionDto.From(c)) : Problems.NotFound($"connection {id}");

    internal static async Task<Created<ConnectionDto>> Create(ConnectionInput input, ConnectionEditor editor, CancellationToken ct)
    {
        var saved = await editor.CreateAsync(input.ToRecord(null), ct);
        return TypedResults.Created($"/api/connections/{saved.Id}", ConnectionDto.From(saved));
    }

    internal static async Task<Ok<ConnectionDto>> Update(long id, ConnectionInput input, ConnectionEditor editor, CancellationToken ct) =>
        TypedResults.Ok(ConnectionDto.From(await editor.UpdateAsync(id, input.ToRecord, ct)));

    internal static async Task<NoContent> Delete(long id, ConnectionEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }

    internal static async Task<Results<Ok<ConnectionTestDto>, ProblemHttpResult>> Test(long id, ConnectionRepository connections, ConnectionChecker checker,
        CancellationToken ct)
    {
        if (await connections.GetAsync(id, ct) is not { } record) return Problems.NotFound($"connection {id}");
        return TypedResults.Ok(ConnectionTestDto.From(await checker.TestAsync(record, ct)));
    }
}
