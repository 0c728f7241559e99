using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Validation;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;
using Pipekit.Sync.Wizard;

namespace Pipekit.Server.Api;

/// <summary>
/// <c>/api/introspect</c>: the wizard's backend. <c>propose</c> returns module JSON that <c>POST /api/modules</c>
/// accepts as it is.
/// </summary>
internal static class IntrospectApi
{
    public static RouteGroupBuilder MapIntrospectApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/introspect").WithTags("introspect").Unlimited();
        group.MapPost("/tables", Tables).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/columns", Columns).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/propose", Propose).ProducesProblems(StatusCodes.Status400BadRequest, StatusCodes.Status422UnprocessableEntity);
        return group;
    }

    internal static async Task<Ok<Page<TableDto>>> Tables(IntrospectRequest request, ModuleWizard wizard, CancellationToken ct) =>
        TypedResults.Ok(Page<TableDto>.All((await wizard.ListTablesAsync(ConnectionId(request), request.QualifierMap, ct)).Select(TableDto.From).ToList()));

    internal static async Task<Ok<Page<ColumnDto>>> Columns(IntrospectRequest request, ModuleWizard wizard, CancellationToken ct) =>
        TypedResults.Ok(Page<ColumnDto>.All((await wizard.ListColumnsAsync(ConnectionId(request), request.TableName, request.QualifierMap, ct))
            .Select(ColumnDto.From).ToList()));

    internal static async Task<Ok<ModuleInput>> Propose(IntrospectRequest request, ModuleWizard wizard, CancellationToken ct) =>
        TypedResults.Ok(ModuleInput.From(await wizard.ProposeAsync(ConnectionId(request), request.TableName, request.QualifierMap,
            request.DestConnectionId, ct)));

    private static long ConnectionId(IntrospectRequest request) =>
        request.ConnectionId ?? throw new ValidationException("connection_id", "is required");
}
