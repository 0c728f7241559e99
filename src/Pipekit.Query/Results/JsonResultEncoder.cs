using System.Buffers;
using System.Text.Json;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// The seed's envelope, exactly: <c>{"columns":[{"name","type"}],"rows":[[…]],"row_count":N}</c>, plus
/// <c>"truncated": true</c> when the row cap cut the result. The whole body is built before a byte is sent, so an
/// error anywhere becomes an error status instead of a truncated 200 (the seed's JSON-ERR bug).
/// </summary>
public static class JsonResultEncoder
{
    public static ArrayBufferWriter<byte> Encode(QueryCursor cursor, int maxRows, Redactor redactor, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using var writer = new Utf8JsonWriter(buffer, ResultValues.WriterOptions);
        writer.WriteStartObject();
        writer.WriteStartArray("columns");
        foreach (var column in cursor.Columns)
        {
            writer.WriteStartObject();
            writer.WriteString("name", column.Name);
            writer.WriteString("type", column.Type);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteStartArray("rows");
        var reader = cursor.Reader;
        var columns = cursor.Columns;
        long rows = 0;
        var truncated = false;
        while (cursor.Read())
        {
            if (rows == maxRows)
            {
                truncated = true;
                break;
            }
            if ((rows & 1023) == 0) cancellationToken.ThrowIfCancellationRequested();
            writer.WriteStartArray();
            for (var i = 0; i < columns.Count; i++) ResultValues.WriteJson(writer, reader, i, columns[i].Kind, redactor);
            writer.WriteEndArray();
            rows++;
        }
        writer.WriteEndArray();
        writer.WriteNumber("row_count", rows);
        if (truncated)
        {
            writer.WriteBoolean("truncated", true);
            cursor.Truncated = true;
        }
        writer.WriteEndObject();
        writer.Flush();
        return buffer;
    }
}
