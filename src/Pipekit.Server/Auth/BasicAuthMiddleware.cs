using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Configuration;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Auth;

/// <summary>
/// HTTP Basic on everything except <c>/health</c> (and <c>/metrics</c> when <c>[server].metrics_public</c>). An
/// address with ten failed logins in a minute gets 429 for a minute, before its credentials are even looked at.
/// </summary>
internal sealed class BasicAuthMiddleware(RequestDelegate next, CredentialCheck check, LoginThrottle throttle, PipekitConfig config,
    ILogger<BasicAuthMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/health", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/health", StringComparison.OrdinalIgnoreCase)
            || config.Server.MetricsPublic && path.Equals("/metrics", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.IsLockedOut(address, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests",
                $"too many failed logins from {address}; try again in {Math.Ceiling(retryAfter.TotalSeconds)} s");
            return;
        }

        switch (await check.CheckAsync(context.Request.Headers.Authorization, context.RequestAborted))
        {
            case CredentialOutcome.Accepted:
            case CredentialOutcome.NoPasswordSet:
                await next(context);
                return;
            case CredentialOutcome.Rejected:
                throttle.RecordFailure(address);
                logger.LogWarning("Failed login from {Address}", address);
                await ChallengeAsync(context, "the user name or password is wrong");
                return;
            default:
                await ChallengeAsync(context, "this server needs HTTP Basic credentials (the user and password set with 'pipekit set-password')");
                return;
        }
    }

    private static Task ChallengeAsync(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"pipekit\", charset=\"UTF-8\"";
        return Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }
}
