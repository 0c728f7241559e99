using System.Text;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>RFC 4180 CSV with a header row, streamed; NULL is an empty field, nested values are their JSON text.</summary>
public static class CsvResultEncoder
{
    public static async Task WriteAsync(QueryCursor cursor, Stream output, Redactor redactor, CancellationToken cancellationToken)
    {
        var buffer = new StreamingBuffer(output);
        var line = new StringBuilder();
        var columns = cursor.Columns;
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0) line.Append(',');
            AppendField(line, columns[i].Name);
        }
        WriteLine(buffer, line);
        var reader = cursor.Reader;
        while (cursor.Read())
        {
            for (var i = 0; i < columns.Count; i++)
            {
                if (i > 0) line.Append(',');
                if (ResultValues.Text(reader, i, columns[i].Kind, redactor) is { } text) AppendField(line, text);
            }
            WriteLine(buffer, line);
            await buffer.FlushIfFullAsync(cancellationToken);
        }
        await buffer.FlushAsync(cancellationToken);
    }

    private static void WriteLine(StreamingBuffer buffer, StringBuilder line)
    {
        line.Append("\r\n");
        foreach (var chunk in line.GetChunks())
        {
            var span = buffer.Buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(chunk.Length));
            buffer.Buffer.Advance(Encoding.UTF8.GetBytes(chunk.Span, span));
        }
        line.Clear();
    }

    private static void AppendField(StringBuilder line, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            line.Append(value);
            return;
        }
        line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
