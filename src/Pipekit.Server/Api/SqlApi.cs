using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;
using Pipekit.Query.Results;
using Pipekit.Server.Json;

namespace Pipekit.Server.Api;

/// <summary>
/// <c>POST /sql</c> (seed 003's route, as its clients call it) and <c>POST /api/sql</c>: <c>{"sql": "…"}</c> in, a
/// result out in the format the Accept header asks for. Query routes have their own admission control
/// (<c>[query].max_concurrent</c>, <c>max_queued</c>), so they are exempt from the state store's limit.
/// </summary>
internal static class SqlApi
{
    /// <summary>SQL text is not large; a bigger body is refused with 413 before it is read.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapSqlApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/sql", Run).WithTags("query").Unlimited().WithMetadata(new ReadsBodyItself());
        routes.MapPost("/api/sql", Run).WithTags("query").Unlimited().WithMetadata(new ReadsBodyItself());
        return routes;
    }

    internal static async Task<IResult> Run(HttpContext context, QueryEngine engine, Redactor redactor, CancellationToken ct)
    {
        if (Negotiate(context.Request) is not { } format)
            return TypedResults.Problem(statusCode: StatusCodes.Status406NotAcceptable, title: "Not Acceptable",
                detail: $"results are sent as {ResultFormats.JsonMediaType}, {ResultFormats.CsvMediaType}, {ResultFormats.NdjsonMediaType} or {ResultFormats.ArrowMediaType}");
        var (sql, problem) = await ReadSqlAsync(context.Request, ct);
        if (problem is not null) return problem;
        var cursor = await engine.OpenAsync(sql!, format, ct);
        if (format != ResultFormat.Json) return new QueryStreamResult(cursor, format, engine.Settings.MaxRows, redactor);
        try
        {
            var body = JsonResultEncoder.Encode(cursor, engine.Settings.MaxRows, redactor, ct);
            return TypedResults.Bytes(body.WrittenMemory, ResultFormats.JsonMediaType);
        }
        finally
        {
            await cursor.DisposeAsync();
        }
    }

    /// <summary>The first acceptable format in order of preference; JSON when nothing is asked for; null when nothing offered is acceptable.</summary>
    internal static ResultFormat? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var types) || types.Count == 0) return ResultFormat.Json;
        foreach (var type in types.OrderByDescending(t => t.Quality ?? 1.0))
        {
            if (type.Quality == 0) continue;
            if (ResultFormats.FromMediaType(type.MediaType.Value ?? "") is { } format) return format;
        }
        return null;
    }

    private static async Task<(string? Sql, ProblemHttpResult? Problem)> ReadSqlAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes) return (null, TooLarge());
        var buffer = new byte[MaxBodyBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await request.Body.ReadAsync(buffer.AsMemory(length), ct);
            if (read == 0) break;
            length += read;
        }
        if (length > MaxBodyBytes) return (null, TooLarge());
        try
        {
            using var document = JsonDocument.Parse(buffer.AsMemory(0, length));
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, BadRequest("the body must be a JSON object: {\"sql\": \"SELECT …\"}"));
            string? sql = null;
            foreach (var property in root.EnumerateObject())
            {
                if (property.Name != "sql") return (null, BadRequest($"unknown field '{property.Name}'; the body is {{\"sql\": \"SELECT …\"}}"));
                if (property.Value.ValueKind != JsonValueKind.String) return (null, BadRequest("sql must be a string"));
                sql = property.Value.GetString();
            }
            if (string.IsNullOrWhiteSpace(sql)) return (null, BadRequest("sql is empty; send {\"sql\": \"SELECT …\"}"));
            return (sql, null);
        }
        catch (JsonException e)
        {
            return (null, BadRequest($"the body is not valid JSON: {e.Message.Split(" Path:", 2)[0]}"));
        }
    }

    private static ProblemHttpResult TooLarge() =>
        TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Payload Too Large",
            detail: $"the SQL body is over {MaxBodyBytes / 1024} KiB");

    private static ProblemHttpResult BadRequest(string detail) =>
        TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Bad Request", detail: detail);
}
