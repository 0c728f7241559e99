using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Json;

/// <summary>
/// Every string value written into API JSON passes through the redactor before it is escaped, so a secret is
/// masked even where JSON escaping would change how it looks in the body (a quote or backslash in a password).
/// </summary>
/// <remarks>
/// Within one HTTP response the redactor's values are fixed at the first string written (<see cref="Redactor.Snapshot"/>):
/// the API serialises results it has already read in full, so every value in the body was read before that moment, and
/// a secret set before it is masked everywhere in the body, as when each string asks the store itself; one body of a
/// thousand modules then reads the secrets file's status once instead of tens of thousands of times. An event stream
/// (<c>text/event-stream</c>) writes values it reads later, so each of its strings asks the store, as does JSON written
/// outside a request (the CLI's <c>--json</c>).
/// </remarks>
internal sealed class RedactingStringConverter(Redactor redactor, IHttpContextAccessor? http = null) : JsonConverter<string>
{
    private static readonly object SnapshotKey = new();

    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Redact(value));

    private string Redact(string value)
    {
        var context = http?.HttpContext;
        if (context is null || IsEventStream(context.Response)) return redactor.Redact(value);
        if (context.Items.TryGetValue(SnapshotKey, out var kept) && kept is RedactionSnapshot snapshot) return snapshot.Redact(value);
        snapshot = redactor.Snapshot();
        context.Items[SnapshotKey] = snapshot;
        return snapshot.Redact(value);
    }

    private static bool IsEventStream(HttpResponse response) =>
        response.ContentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
}
