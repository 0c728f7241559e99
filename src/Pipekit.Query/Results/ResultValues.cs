using System.Globalization;
using System.Numerics;
using System.Text.Json;
using DuckDB.NET.Data;
using DuckDB.NET.Native;
using Pipekit.Core.Secrets;

namespace Pipekit.Query.Results;

/// <summary>Reads one cell by its column kind and writes it as JSON or as text. Text values pass through the redactor.</summary>
internal static class ResultValues
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Results are data, not HTML: only what JSON requires is escaped, so text keeps its characters and encodes faster.
    /// </summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void WriteJson(Utf8JsonWriter writer, DuckDBDataReader reader, int ordinal, ColumnKind kind, Redactor redactor)
    {
        if (reader.IsDBNull(ordinal))
        {
            writer.WriteNullValue();
            return;
        }
        switch (kind)
        {
            case ColumnKind.Boolean:
                writer.WriteBooleanValue(reader.GetBoolean(ordinal));
                break;
            case ColumnKind.Integer:
                switch (reader.GetValue(ordinal))
                {
                    case ulong u: writer.WriteNumberValue(u); break;
                    case var v: writer.WriteNumberValue(Convert.ToInt64(v, Invariant)); break;
                }
                break;
            case ColumnKind.BigInteger:
                writer.WriteRawValue(((BigInteger)reader.GetValue(ordinal)).ToString(Invariant), skipInputValidation: true);
                break;
            case ColumnKind.Float:
                var f = reader.GetFloat(ordinal);
                if (float.IsFinite(f)) writer.WriteNumberValue(f);
                else writer.WriteStringValue(ValueText.Float(f));
                break;
            case ColumnKind.Double:
                var d = reader.GetDouble(ordinal);
                if (double.IsFinite(d)) writer.WriteNumberValue(d);
                else writer.WriteStringValue(ValueText.Double(d));
                break;
            case ColumnKind.DecimalNumber:
                writer.WriteNumberValue(reader.GetDecimal(ordinal));
                break;
            case ColumnKind.Json:
                WriteRawJson(writer, redactor.Redact(reader.GetString(ordinal)));
                break;
            case ColumnKind.Blob:
                writer.WriteBase64StringValue(ReadBytes(reader, ordinal));
                break;
            default:
                writer.WriteStringValue(Text(reader, ordinal, kind, redactor));
                break;
        }
    }

    /// <summary>The cell as text (CSV, and the string-valued kinds of JSON); null for NULL.</summary>
    public static string? Text(DuckDBDataReader reader, int ordinal, ColumnKind kind, Redactor redactor)
    {
        if (reader.IsDBNull(ordinal)) return null;
        return kind switch
        {
            ColumnKind.Boolean => reader.GetBoolean(ordinal) ? "true" : "false",
            ColumnKind.Integer => Convert.ToString(reader.GetValue(ordinal), Invariant),
            ColumnKind.BigInteger => ((BigInteger)reader.GetValue(ordinal)).ToString(Invariant),
            ColumnKind.Float => ValueText.Float(reader.GetFloat(ordinal)),
            ColumnKind.Double => ValueText.Double(reader.GetDouble(ordinal)),
            ColumnKind.DecimalNumber => reader.GetDecimal(ordinal).ToString(Invariant),
            ColumnKind.DecimalText => reader.GetValue(ordinal) is decimal m ? m.ToString(Invariant) : reader.GetString(ordinal),
            ColumnKind.Text or ColumnKind.Json => redactor.Redact(reader.GetString(ordinal)),
            ColumnKind.Blob => Convert.ToBase64String(ReadBytes(reader, ordinal)),
            ColumnKind.Uuid => reader.GetGuid(ordinal).ToString("D"),
            ColumnKind.Date => ValueText.Date(reader.GetFieldValue<DateOnly>(ordinal)),
            ColumnKind.Time => ValueText.Time(reader.GetFieldValue<TimeOnly>(ordinal)),
            ColumnKind.Timestamp => ValueText.Timestamp(reader.GetDateTime(ordinal)),
            ColumnKind.TimestampTz => ValueText.TimestampTz(reader.GetDateTime(ordinal)),
            ColumnKind.Interval => ValueText.Interval(reader.GetFieldValue<DuckDBInterval>(ordinal)),
            _ => throw new InvalidOperationException($"no text form for column kind {kind}"),
        };
    }

    public static byte[] ReadBytes(DuckDBDataReader reader, int ordinal)
    {
        using var stream = reader.GetStream(ordinal);
        if (stream is MemoryStream ms) return ms.ToArray();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    // DuckDB's to_json writes NaN and Infinity as bare words inside nested values, which is not JSON; such a value is
    // sent as a string holding DuckDB's text rather than failing the response.
    private static void WriteRawJson(Utf8JsonWriter writer, string json)
    {
        try
        {
            writer.WriteRawValue(json);
        }
        catch (JsonException)
        {
            writer.WriteStringValue(json);
        }
        catch (ArgumentException)
        {
            writer.WriteStringValue(json);
        }
    }
}
