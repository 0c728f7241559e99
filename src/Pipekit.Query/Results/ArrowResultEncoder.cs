using Apache.Arrow;
using Apache.Arrow.Ipc;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// An Arrow IPC stream: one schema, then record batches of up to <see cref="BatchRows"/> rows, built column by column
/// and sent as each fills. Integers, floats, decimals up to 28 digits, dates, times and timestamps keep their Arrow
/// types; HUGEINT, intervals (ISO 8601), UUIDs and nested values (JSON) travel as strings.
/// </summary>
public static class ArrowResultEncoder
{
    public const int BatchRows = 64 * 1024;

    public static async Task WriteAsync(QueryCursor cursor, Stream output, Redactor redactor, CancellationToken cancellationToken)
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
        var built = schema.Build();
        using var writer = new ArrowStreamWriter(output, built, leaveOpen: true);
        var reader = cursor.Reader;
        var rows = 0;
        var started = false;
        while (cursor.Read())
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
    }

    private static RecordBatch Batch(Schema schema, ArrowColumn[] columns, int rows) =>
        new(schema, columns.Select(c => c.Build()), rows);
}
