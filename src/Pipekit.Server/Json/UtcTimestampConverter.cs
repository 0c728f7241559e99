using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipekit.Server.Json;

/// <summary>Timestamps in API JSON: ISO 8601 in UTC with a <c>Z</c> and milliseconds, as the state store keeps them.</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (text is null || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var value))
            throw new JsonException($"'{text}' is not an ISO 8601 timestamp (e.g. 2026-11-01T02:20:00Z)");
        return value;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
}
