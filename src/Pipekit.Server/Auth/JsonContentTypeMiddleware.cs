using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Auth;

/// <summary>
/// CSRF defence for the JSON API: a browser attaches Basic credentials to any request to this origin, and a
/// cross-site HTML form can POST, but only as a form or text/plain. So every state-changing <c>/api</c> POST must
/// say <c>Content-Type: application/json</c>, which a cross-site form cannot send without a CORS preflight.
/// </summary>
internal sealed class JsonContentTypeMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method) && context.Request.Path.StartsWithSegments("/api") && !IsJson(context.Request.ContentType))
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported Media Type",
                "POST requests to /api must be sent with 'Content-Type: application/json' (even with an empty body); this keeps cross-site forms out");
            return;
        }
        await next(context);
    }

    private static bool IsJson(string? contentType) =>
        contentType is not null && MediaTypeHeaderValue.TryParse(contentType, out var media)
        && media.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase);
}
