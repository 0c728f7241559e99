using System.Text.Json;

namespace Pipekit.Pipelines.Sdk;

// {"result": …, "error": null} or {"result": null, "error": "…"}, newline-terminated as Go's json.Encoder wrote it,
// which clients that read to EOF ignore and clients that read a line need.
internal static class SdkResponse
{
    public static byte[] Result(object? result) => Encode(result, null);

    public static byte[] Error(string error) => Encode(null, error);

    private static byte[] Encode(object? result, string? error)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("result");
            JsonSerializer.Serialize(writer, result);
            if (error is null) writer.WriteNull("error");
            else writer.WriteString("error", error);
            writer.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }
}
