using System.Diagnostics;
using System.Globalization;
using Microsoft.AspNetCore.Http;
using Pipekit.Server.Hosting;

namespace Pipekit.Server.Timing;

/// <summary>
/// <c>pipekit serve --server-timing</c>: each response carries <c>Server-Timing: app;dur=12.345</c>, the milliseconds the
/// server spent on the request from the first middleware until its whole body was produced (authentication, the store's
/// queries, rendering or serialisation, redaction), without the time the body then takes to reach the client. The body
/// is held back until it is complete so that the header can carry that figure, which is why this is a flag for
/// measurements (<c>./bench.sh api</c> reads it) and not on by default. Event streams and <c>/sql</c> results stream as
/// usual, without the header.
/// </summary>
internal sealed class ServerTimingMiddleware(RequestDelegate next)
{
    public const string Header = "Server-Timing";

    public async Task InvokeAsync(HttpContext context)
    {
        if (BufferedResponse.IsStreamed(context.Request))
        {
            await next(context);
            return;
        }
        var started = Stopwatch.GetTimestamp();
        var original = context.Response.Body;
        await using var buffer = await BufferedResponse.CaptureAsync(context, next);
        var elapsed = Stopwatch.GetElapsedTime(started);
        if (!context.Response.HasStarted)
        {
            context.Response.Headers[Header] = string.Create(CultureInfo.InvariantCulture, $"app;dur={elapsed.TotalMilliseconds:0.000}");
            if (context.Response.ContentLength is null && buffer.Length > 0) context.Response.ContentLength = buffer.Length;
        }
        await buffer.CopyToAsync(original, context.RequestAborted);
    }
}
