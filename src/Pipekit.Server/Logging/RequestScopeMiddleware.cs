using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Pipekit.Server.Logging;

/// <summary>Every log line written while a request is handled carries its <c>request_id</c>, which the response returns as <c>X-Request-Id</c>.</summary>
internal sealed class RequestScopeMiddleware(RequestDelegate next, ILogger<RequestScopeMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.TraceIdentifier;
        context.Response.Headers["X-Request-Id"] = requestId;
        using (logger.BeginScope(new Dictionary<string, object> { ["request_id"] = requestId }))
            await next(context);
    }
}
