using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;
using Pipekit.Core.Validation;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Json;

/// <summary>
/// Refuses, before a route binds it, a JSON body that is not what the route takes: not UTF-8, not JSON, an unknown or
/// repeated field, a value of the wrong kind (<see cref="BodyShape"/>), or any field at all for a route that takes no
/// body. The refusal is a 400 validation problem with a message per field; nothing has run, so nothing changed.
/// </summary>
/// <remarks>
/// Binding alone would drop an unknown field silently: <c>"merge_stratgy": "incremental"</c> created a <c>full</c>
/// module. The body is at most 1 MiB (<c>BodySizeLimitMiddleware</c>), so it is buffered and read twice.
/// </remarks>
internal sealed class BodyShapeMiddleware(RequestDelegate next, IOptions<JsonOptions> json)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task InvokeAsync(HttpContext context)
    {
        var endpoint = context.GetEndpoint();
        if (!HttpMethods.IsPost(context.Request.Method) || endpoint is null || endpoint.Metadata.GetMetadata<ReadsBodyItself>() is not null
            || !(context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/v1")))
        {
            await next(context);
            return;
        }
        context.Request.EnableBuffering();
        var body = await ReadAsync(context.Request, context.RequestAborted);
        context.Request.Body.Position = 0;
        if (body.Length > 0)
        {
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            Check(body, accepts?.RequestType, json.Value.SerializerOptions);
        }
        await next(context);
    }

    /// <summary>Throws a <see cref="ValidationException"/> naming every mistake of <paramref name="body"/> for <paramref name="requestType"/>.</summary>
    internal static void Check(byte[] body, Type? requestType, JsonSerializerOptions options)
    {
        try
        {
            StrictUtf8.GetCharCount(body);
        }
        catch (DecoderFallbackException e)
        {
            throw new ValidationException("body", $"is not valid UTF-8 (byte {e.Index + 1}); send JSON text encoded as UTF-8");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = options.MaxDepth == 0 ? 64 : options.MaxDepth });
        }
        catch (JsonException e)
        {
            throw new ValidationException("body", NotJson(e));
        }
        using (document)
        {
            var errors = new ValidationErrors();
            var root = document.RootElement;
            if (requestType is null)
            {
                if (root.ValueKind == JsonValueKind.Object && root.EnumerateObject().Any())
                    errors.Add("body", $"this request takes no fields; send no body or {{}} (got {string.Join(", ", root.EnumerateObject().Take(5).Select(p => $"'{Short(p.Name)}'"))})");
                else if (root.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null))
                    errors.Add("body", "this request takes no body; send no body or {}");
            }
            else
            {
                BodyShape.Check(root, requestType, options, errors);
            }
            errors.ThrowIfAny();
        }
    }

    /// <summary>"is not valid JSON: line 1, position 12 ('}' is invalid after a value…)" — where, in the client's terms.</summary>
    internal static string NotJson(JsonException e)
    {
        var where = e.LineNumber is { } line ? $": line {line + 1}, position {(e.BytePositionInLine ?? 0) + 1}" : "";
        var why = e.Message.Split(" LineNumber:", 2)[0].Split(" Path:", 2)[0].Trim();
        if (why.Contains("maximum configured depth", StringComparison.OrdinalIgnoreCase)) why = "it is nested more than 64 levels deep";
        return $"the body is not valid JSON{where} ({why})";
    }

    // Kestrel stops a body at the limit itself; reading at most one byte past it keeps any other host honest too.
    private static async Task<byte[]> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > BodySizeLimitMiddleware.MaxBodyBytes)
                throw new BadHttpRequestException("request body too large", StatusCodes.Status413PayloadTooLarge);
        }
        return buffer.ToArray();
    }

    private static string Short(string name) => name.Length > 64 ? name[..64] + "…" : name;
}
