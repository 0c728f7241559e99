using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipekit.Sync.Watermarks;

/// <summary>
/// A run's resolved watermark values as the run log stores them: one JSON object, name to value, in resolution order.
/// Written with <see cref="Utf8JsonWriter"/> rather than the reflection-based serializer, whose first use in a process
/// builds converters for every primitive type: a cost each short <c>pipekit run</c> paid for one small object.
/// </summary>
internal static class WatermarkValuesJson
{
    // Stored as a user reads them ({"since": "'2026-11-01'"}): the default encoder's \u0027 for a quote is unreadable,
    // and a secret stored in escaped form would slip past the redactor, which matches literal text.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The values as JSON, each passed through <paramref name="redact"/> first.</summary>
    public static string Write(IReadOnlyDictionary<string, string> values, Func<string, string> redact)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in values) writer.WriteString(name, redact(value));
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
