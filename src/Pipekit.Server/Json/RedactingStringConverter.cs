using System.Text.Json;
using System.Text.Json.Serialization;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Json;

/// <summary>
/// Every string value written into API JSON passes through the redactor before it is escaped, so a secret is
/// masked even where JSON escaping would change how it looks in the body (a quote or backslash in a password).
/// </summary>
internal sealed class RedactingStringConverter(Redactor redactor) : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetString();

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(redactor.Redact(value));
}
