using Apache.Arrow;
using Apache.Arrow.Ipc;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// An Arrow IPC stream: one schema, then record batches of up to <see cref="BatchRows"/> rows, built column by column
/// and sent as each fills. Integers, floats, decimals up to 28 digits, dates, times and timestamps keep their Arrow
/// types; HUGEINT, intervals (ISO 8601), UUIDs and nested values (JSON) travel as strings. The stream stops at
/// <c>max_rows</c>; when the cut is known before the first batch leaves (<c>max_rows</c> below <see cref="BatchRows"/>,
/// the default), the schema's metadata carries <c>pipekit.truncated = true</c> and <c>pipekit.max_rows</c>.
/// </summary>
public static class ArrowResultEncoder
{
    public const int BatchRows = 64 * 1024;

    /// <returns>True when <paramref name="maxRows"/> cut the result.</returns>
    public static async Task<bool> WriteAsync(QueryCursor cursor, Stream output, long maxRows, Redactor redactor, CancellationToken cancellationToken)
    {
        var columns = cursor.Columns.Select(c => ArrowColumn.For(c, redactor)).ToArray();
        var names = NdjsonResultEncoder.UniqueNames(cursor.Columns);
        var schema = new Schema.Builder();
        for (var i = 0; i < columns.Length; i++)
        {
            var type = columns[i].Type;
            var name = names[i];
            schema.Field(f => f.Name(name).DataType(type).Nullable(true));
        }
        var reader = cursor.Reader;
        var rows = 0;
        long total = 0;
        var started = false;
        // The first batch is read before the schema is written, so a cut within it is in the schema's metadata.
        while (rows < BatchRows && RowCap.Next(cursor, ref total, maxRows))
        {
            for (var i = 0; i < columns.Length; i++)
            {
                if (reader.IsDBNull(i)) columns[i].AppendNull();
                else columns[i].Append(reader, i);
            }
            rows++;
        }
        if (cursor.Truncated)
            schema.Metadata("pipekit.truncated", "true").Metadata("pipekit.max_rows", maxRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var built = schema.Build();
        using var writer = new ArrowStreamWriter(output, built, leaveOpen: true);
        if (rows == BatchRows)
        {
            await writer.WriteRecordBatchAsync(Batch(built, columns, rows), cancellationToken);
            started = true;
            rows = 0;
        }
        while (RowCap.Next(cursor, ref total, maxRows))
        {
            for (var i = 0; i < columns.Length; i++)
            {
                if (reader.IsDBNull(i)) columns[i].AppendNull();
                else columns[i].Append(reader, i);
            }
            if (++rows == BatchRows)
            {
                await writer.WriteRecordBatchAsync(Batch(built, columns, rows), cancellationToken);
                started = true;
                rows = 0;
            }
        }
        if (rows > 0 || !started) await writer.WriteRecordBatchAsync(Batch(built, columns, rows), cancellationToken);
        await writer.WriteEndAsync(cancellationToken);
        return cursor.Truncated;
    }

    private static RecordBatch Batch(Schema schema, ArrowColumn[] columns, int rows) =>
        new(schema, columns.Select(c => c.Build()), rows);
}
