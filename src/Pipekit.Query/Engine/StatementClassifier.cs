using System.Security.Cryptography;
using System.Text.Json;
using DuckDB.NET.Data;

namespace Pipekit.Query.Engine;

/// <summary>
/// Decides whether a text is one read statement, with DuckDB's own parser rather than a pattern:
/// <c>json_serialize_sql</c> serialises only SELECT-class statements (SELECT, WITH, VALUES, FROM-first, DESCRIBE,
/// SUMMARIZE, SHOW) and reports an error for everything else, including COPY, INSTALL, ATTACH, SET, PRAGMA, CREATE,
/// INSERT and a second statement after a semicolon. The same parse yields the SQL fingerprint that logs record
/// instead of the text.
/// </summary>
internal static class StatementClassifier
{
    public static Classification Classify(DuckDBConnection connection, string sql)
    {
        string json;
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT json_serialize_sql($1::VARCHAR)";
            command.Parameters.Add(new DuckDBParameter(sql));
            json = (string)command.ExecuteScalar()!;
        }
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.GetProperty("error").GetBoolean())
        {
            var type = root.TryGetProperty("error_type", out var t) ? t.GetString() : null;
            // "not implemented" is how the serialiser refuses a statement that is not a SELECT; anything else is a
            // parse error worth showing as DuckDB wrote it.
            var reason = type == "not implemented"
                ? "only one read statement is accepted (SELECT, WITH, VALUES, FROM, DESCRIBE, SUMMARIZE); "
                  + "COPY, INSTALL, LOAD, ATTACH, SET, PRAGMA, CREATE, INSERT and multiple statements are refused"
                : root.TryGetProperty("error_message", out var m) ? m.GetString() ?? "the SQL does not parse" : "the SQL does not parse";
            return new Classification(false, reason, null);
        }
        var statements = root.GetProperty("statements");
        if (statements.GetArrayLength() != 1)
            return new Classification(false, $"only one statement is accepted, got {statements.GetArrayLength()}", null);
        return new Classification(true, null, Fingerprint(statements[0]));
    }

    /// <summary>
    /// A short hash of the statement's shape: its parse tree without constants and source positions, so that two
    /// queries differing only in literals share a fingerprint and no literal (a name, an id, a token) reaches a log.
    /// </summary>
    internal static string Fingerprint(JsonElement statement)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            WriteShape(writer, statement);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan))[..16];
    }

    private static void WriteShape(Utf8JsonWriter writer, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var isConstant = element.TryGetProperty("class", out var cls) && cls.ValueKind == JsonValueKind.String && cls.GetString() == "CONSTANT";
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject())
                {
                    if (property.NameEquals("query_location")) continue;
                    writer.WritePropertyName(property.Name);
                    if (isConstant && property.NameEquals("value")) writer.WriteNullValue();
                    else WriteShape(writer, property.Value);
                }
                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray()) WriteShape(writer, item);
                writer.WriteEndArray();
                break;
            default:
                element.WriteTo(writer);
                break;
        }
    }
}
