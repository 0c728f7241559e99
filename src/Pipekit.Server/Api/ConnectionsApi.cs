using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Connections;
using Pipekit.Core.Validation;
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
        group.MapGet("/{id:long}", Get);
        group.MapPost("/", Create);
        group.MapPost("/{id:long}", Update);
        group.MapPost("/{id:long}/delete", Delete);
        group.MapPost("/{id:long}/test", Test).Unlimited();
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

    internal static async Task<Created<ConnectionDto>> Create(ConnectionInput input, ConnectionValidator validator, ConnectionRepository connections,
        CancellationToken ct)
    {
        var record = validator.Validate(input.ToRecord(null));
        await RequireDestinationAsync(record, connections, ct);
        var saved = await connections.AddAsync(record, ct);
        return TypedResults.Created($"/api/connections/{saved.Id}", ConnectionDto.From(saved));
    }

    internal static async Task<Results<Ok<ConnectionDto>, ProblemHttpResult>> Update(long id, ConnectionInput input, ConnectionValidator validator,
        ConnectionRepository connections, CancellationToken ct)
    {
        if (await connections.GetAsync(id, ct) is not { } current) return Problems.NotFound($"connection {id}");
        var record = validator.Validate(input.ToRecord(current));
        await RequireDestinationAsync(record, connections, ct);
        await connections.UpdateAsync(record, ct);
        return TypedResults.Ok(ConnectionDto.From((await connections.GetAsync(id, ct))!));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(long id, ConnectionRepository connections, CancellationToken ct) =>
        await connections.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound($"connection {id}");

    internal static async Task<Results<Ok<ConnectionTestDto>, ProblemHttpResult>> Test(long id, ConnectionRepository connections, ConnectionChecker checker,
        CancellationToken ct)
    {
        if (await connections.GetAsync(id, ct) is not { } record) return Problems.NotFound($"connection {id}");
        return TypedResults.Ok(ConnectionTestDto.From(await checker.TestAsync(record, ct)));
    }

    private static async Task RequireDestinationAsync(ConnectionRecord record, ConnectionRepository connections, CancellationToken ct)
    {
        if (record.DefaultDestConnectionId is { } dest && dest != record.Id && await connections.GetAsync(dest, ct) is null)
            throw new ValidationException("default_dest_connection_id", $"connection {dest} does not exist");
    }
}
