using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pipekit.Core.Notifications;
using Pipekit.Server.Api.Contracts;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Api;

/// <summary>
/// <c>/api/notifications</c>: channels (webhook, email) with a test message, and the rules that say which run ends send
/// what to which channel. Channels of <c>pipekit.toml</c> are listed with <c>source = "config"</c> and changed only there.
/// </summary>
internal static class NotificationsApi
{
    public static RouteGroupBuilder MapNotificationsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/notifications").WithTags("notifications");
        group.MapGet("/channels", ListChannels);
        group.MapPost("/channels", AddChannel).ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapPost("/channels/{name}/delete", RemoveChannel).ProducesProblems(StatusCodes.Status404NotFound, StatusCodes.Status422UnprocessableEntity);
        group.MapPost("/channels/{name}/test", Test).ProducesProblems(StatusCodes.Status404NotFound);
        group.MapGet("/rules", ListRules);
        group.MapPost("/rules", SetRule).ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapPost("/rules/{id:long}/delete", RemoveRule).ProducesProblems(StatusCodes.Status404NotFound);
        return group;
    }

    internal static async Task<Ok<Page<NotificationChannelDto>>> ListChannels(NotificationEditor editor, CancellationToken ct) =>
        TypedResults.Ok(Page<NotificationChannelDto>.All((await editor.ListChannelsAsync(ct)).Select(NotificationChannelDto.Of).ToList()));

    internal static async Task<Created<NotificationChannelDto>> AddChannel(NotificationChannelInput input, NotificationEditor editor, CancellationToken ct)
    {
        var saved = await editor.AddChannelAsync(input.ToChannel(), ct);
        return TypedResults.Created($"/api/notifications/channels/{Uri.EscapeDataString(saved.Name)}", NotificationChannelDto.Of(saved));
    }

    internal static async Task<NoContent> RemoveChannel(string name, NotificationEditor editor, CancellationToken ct)
    {
        await editor.RemoveChannelAsync(name, ct);
        return TypedResults.NoContent();
    }

    /// <summary>Sends a test message now and says whether it arrived (a failed delivery is a 200 with the reason: the request itself worked).</summary>
    internal static async Task<Ok<NotificationTestDto>> Test(string name, NotificationEditor editor, CancellationToken ct)
    {
        var error = await editor.TestAsync(name, ct);
        return TypedResults.Ok(new NotificationTestDto(name, error is null, error));
    }

    internal static async Task<Ok<Page<NotificationRuleDto>>> ListRules(NotificationEditor editor, CancellationToken ct) =>
        TypedResults.Ok(Page<NotificationRuleDto>.All((await editor.ListRulesAsync(ct)).Select(NotificationRuleDto.From).ToList()));

    internal static async Task<Ok<NotificationRuleDto>> SetRule(NotificationRuleInput input, NotificationEditor editor, CancellationToken ct) =>
        TypedResults.Ok(NotificationRuleDto.From(await editor.SetRuleAsync(input.ToRule(), ct)));

    internal static async Task<NoContent> RemoveRule(long id, NotificationEditor editor, CancellationToken ct)
    {
        await editor.RemoveRuleAsync(id, ct);
        return TypedResults.NoContent();
    }
}
