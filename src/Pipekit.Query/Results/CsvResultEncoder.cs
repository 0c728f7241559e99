using System.Text;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// RFC 4180 CSV with a header row, streamed; NULL is an empty field, nested values are their JSON text. A cut at
/// <c>max_rows</c> cannot be said inside CSV without corrupting it: the caller says it (HTTP trailer, CLI warning).
/// </summary>
public static class CsvResultEncoder
{
    /// <returns>True when <paramref name="maxRows"/> cut the result.</returns>
    public static async Task<bool> WriteAsync(QueryCursor cursor, Stream output, long maxRows, Redactor redactor, CancellationToken cancellationToken)
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
        long rows = 0;
        while (RowCap.Next(cursor, ref rows, maxRows))
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
        return cursor.Truncated;
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
