using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Configuration;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Auth;

/// <summary>
/// HTTP Basic on everything except <c>/health</c> (and <c>/metrics</c> when <c>[server].metrics_public</c>). An
/// address with ten failed logins in a minute gets 429 for a minute, before its credentials are even looked at; checks are
/// counted as they begin, so a burst of guesses gets no more than ten (<see cref="LoginThrottle"/>).
/// Pages (every path outside the API) also accept the login session cookie (<see cref="PageSession"/>); a page
/// request with neither is sent to <c>/login</c> instead of meeting the browser's Basic prompt. The login page and
/// the static assets are open: the login page applies the same lockout itself.
/// </summary>
internal sealed class BasicAuthMiddleware(RequestDelegate next, CredentialCheck check, LoginThrottle throttle, PipekitConfig config,
    ILogger<BasicAuthMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path;
        if (path.Equals("/health", StringComparison.OrdinalIgnoreCase) || path.Equals("/api/health", StringComparison.OrdinalIgnoreCase)
            || config.Server.MetricsPublic && path.Equals("/metrics", StringComparison.OrdinalIgnoreCase)
            || path.Equals("/login", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/static"))
        {
            await next(context);
            return;
        }

        var page = IsPage(path);
        if (page && context.User.Identity?.IsAuthenticated == true)
        {
            await next(context);
            return;
        }

        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        if (throttle.IsLockedOut(address, out var retryAfter))
        {
            await TooManyAsync(context, address, retryAfter);
            return;
        }

        var authorization = context.Request.Headers.Authorization.ToString();
        switch (await check.CheckAsync(authorization, address, context.RequestAborted))
        {
            case CredentialOutcome.Throttled:
                throttle.IsLockedOut(address, out retryAfter);
                await TooManyAsync(context, address, retryAfter);
                return;
            case CredentialOutcome.Accepted:
            case CredentialOutcome.NoPasswordSet:
                await next(context);
                return;
            case CredentialOutcome.Rejected:
                logger.LogWarning("Failed login from {Address}", address);
                await ChallengeAsync(context, "the user name or password is wrong");
                return;
            default:
                if (page)
                {
                    SendToLogin(context);
                    return;
                }
                await ChallengeAsync(context, "this server needs HTTP Basic credentials (the user and password set with 'pipekit set-password')");
                return;
        }
    }

    /// <summary>Everything a browser navigates to: not the JSON API, the OpenAPI document, the metrics or the other parts' APIs.</summary>
    internal static bool IsPage(PathString path) =>
        !(path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/metrics")
          || path.StartsWithSegments("/v1") || path.StartsWithSegments("/sql"));

    private static void SendToLogin(HttpContext context)
    {
        var back = context.Request.Path + context.Request.QueryString;
        var login = "/login?return=" + Uri.EscapeDataString(back.ToString());
        if (context.Request.Headers.ContainsKey("HX-Request"))
        {
            // htmx follows a redirect inside the fragment; this header makes it load the login page as a whole page.
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers["HX-Redirect"] = login;
            return;
        }
        context.Response.StatusCode = HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? StatusCodes.Status302Found : StatusCodes.Status303SeeOther;
        context.Response.Headers.Location = login;
    }

    private static Task TooManyAsync(HttpContext context, string address, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests",
            $"too many failed logins from {address}; try again in {seconds} s");
    }

    private static Task ChallengeAsync(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Basic realm=\"pipekit\", charset=\"UTF-8\"";
        return Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized", detail);
    }
}
