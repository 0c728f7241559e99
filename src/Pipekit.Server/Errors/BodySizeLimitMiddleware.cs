using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Pipekit.Server.Errors;

/// <summary>
/// Request bodies are capped at 1 MiB: a declared larger body is refused with 413 before it is read, and Kestrel
/// stops a chunked one at the cap (reported as 413 by the exception handler).
/// </summary>
internal sealed class BodySizeLimitMiddleware(RequestDelegate next)
{
    public const long MaxBodyBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Payload Too Large",
                $"the request body is {context.Request.ContentLength} bytes; the limit is {MaxBodyBytes} bytes (1 MiB)");
            return;
        }
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            limit.MaxRequestBodySize = MaxBodyBytes;
        await next(context);
    }
}
