using Microsoft.AspNetCore.Http;

namespace Pipekit.Server.Hosting;

/// <summary>
/// Holding a response body in memory until it is complete, for middleware that must see or measure the whole body
/// before it leaves (redaction, <c>--server-timing</c>), and the responses that are never held: server-sent event
/// streams and query results (<c>/sql</c>), which may run for minutes or be larger than memory.
/// </summary>
internal static class BufferedResponse
{
    /// <summary>Whether the response streams as it is written and must not be buffered.</summary>
    public static bool IsStreamed(HttpRequest request) =>
        request.Path.Value?.EndsWith("/stream", StringComparison.Ordinal) == true
        || request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.OrdinalIgnoreCase)
        || request.Path.Equals("/sql", StringComparison.Ordinal) || request.Path.Equals("/api/sql", StringComparison.Ordinal);

    /// <summary>
    /// Runs the rest of the pipeline with the body written to memory and returns it, positioned at its start; the
    /// response's own body stream is restored, and the caller writes the bytes to it.
    /// </summary>
    public static async Task<MemoryStream> CaptureAsync(HttpContext context, RequestDelegate next)
    {
        var original = context.Response.Body;
        var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context);
        }
        catch
        {
            await buffer.DisposeAsync();
            throw;
        }
        finally
        {
            context.Response.Body = original;
        }
        buffer.Position = 0;
        return buffer;
    }
}
