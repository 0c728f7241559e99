using System.Text;
using Microsoft.AspNetCore.Http;
using Pipekit.Core.Secrets;
using Pipekit.Server.Hosting;

namespace Pipekit.Server.Redaction;

/// <summary>
/// The last line of defence for secrets: every textual response body that is not JSON (plain text, HTML) is
/// buffered and passed through the redactor before it leaves. JSON bodies (API results and problem details) are
/// redacted where they are made: every string value passes through the redactor at serialisation, where JSON
/// escaping cannot hide a value, so scanning them again would only cost time. Server-sent event streams are
/// not buffered; their handler redacts each event as it writes it, and neither are query results (<c>/sql</c>).
/// </summary>
internal sealed class RedactionMiddleware(RequestDelegate next, Redactor redactor)
{
    public async Task InvokeAsync(HttpContext context)
    {
        // Event streams redact each event as it is written; query results' encoders redact every text value.
        if (BufferedResponse.IsStreamed(context.Request) || IsJsonApi(context.Request))
        {
            await next(context);
            return;
        }
        var original = context.Response.Body;
        await using var buffer = await BufferedResponse.CaptureAsync(context, next);
        if (buffer.Length == 0) return;
        if (!IsText(context.Response.ContentType))
        {
            await buffer.CopyToAsync(original, context.RequestAborted);
            return;
        }
        var text = Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
        var redacted = redactor.Redact(text);
        if (ReferenceEquals(redacted, text))
        {
            await buffer.CopyToAsync(original, context.RequestAborted);
            return;
        }
        var bytes = Encoding.UTF8.GetBytes(redacted);
        if (!context.Response.HasStarted) context.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, context.RequestAborted);
    }

    // JSON routes: /api/* and the OpenAPI document. Their bodies are serialised with the redacting converter.
    private static bool IsJsonApi(HttpRequest request) =>
        request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi");

    private static bool IsText(string? contentType) =>
        contentType is not null
        && (contentType.StartsWith("text/", StringComparison.OrdinalIgnoreCase) || contentType.Contains("json", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("xml", StringComparison.OrdinalIgnoreCase));
}
