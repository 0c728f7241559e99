using System.Buffers;
using System.Text.Json;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// One JSON object per row and line, keyed by column name, streamed as rows are read. A repeated column name gets
/// DuckDB's own suffix (<c>a</c>, <c>a_1</c>) so no value is hidden by a duplicate key. A result cut at
/// <c>max_rows</c> ends with one more line, <c>{"truncated":true,"row_count":N,"max_rows":M}</c>, a line no row can be
/// (rows of such a result never have exactly those keys, since the last line is written only after a cut).
/// </summary>
public static class NdjsonResultEncoder
{
    /// <returns>True when <paramref name="maxRows"/> cut the result.</returns>
    public static async Task<bool> WriteAsync(QueryCursor cursor, Stream output, long maxRows, Redactor redactor, CancellationToken cancellationToken)
    {
        var buffer = new StreamingBuffer(output);
        var names = UniqueNames(cursor.Columns).Select(n => JsonEncodedText.Encode(n, ResultValues.WriterOptions.Encoder)).ToArray();
        var reader = cursor.Reader;
        var columns = cursor.Columns;
        var writer = new Utf8JsonWriter(buffer.Buffer, ResultValues.WriterOptions);
        long rows = 0;
        try
        {
            while (RowCap.Next(cursor, ref rows, maxRows))
            {
                writer.WriteStartObject();
                for (var i = 0; i < columns.Count; i++)
                {
                    writer.WritePropertyName(names[i]);
                    ResultValues.WriteJson(writer, reader, i, columns[i].Kind, redactor);
                }
                writer.WriteEndObject();
                writer.Flush();
                buffer.Buffer.Write("\n"u8);
                writer.Reset(buffer.Buffer);
                await buffer.FlushIfFullAsync(cancellationToken);
            }
            if (cursor.Truncated)
            {
                writer.WriteStartObject();
                writer.WriteBoolean("truncated", true);
                writer.WriteNumber("row_count", rows);
                writer.WriteNumber("max_rows", maxRows);
                writer.WriteEndObject();
                writer.Flush();
                buffer.Buffer.Write("\n"u8);
            }
            await buffer.FlushAsync(cancellationToken);
            return cursor.Truncated;
        }
        finally
        {
            await writer.DisposeAsync();
        }
    }

    internal static IReadOnlyList<string> UniqueNames(IReadOnlyList<ResultColumn> columns)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var names = new List<string>(columns.Count);
        foreach (var column in columns)
        {
            var name = column.Name;
            for (var n = 1; !seen.Add(name); n++) name = $"{column.Name}_{n}";
            names.Add(name);
        }
        return names;
    }
}
