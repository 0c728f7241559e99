using Apache.Arrow;
using Apache.Arrow.Ipc;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// An Arrow IPC stream made from DuckDB's own Arrow export: DuckDB fills the Arrow buffers of each data chunk (up to
/// 2,048 rows; C data interface, through DuckDB.NET) and each chunk goes out as one record batch, so no value passes
/// through .NET one at a time and only the chunks of the first <see cref="BatchRows"/> rows are ever held. Integers,
/// floats, decimals up to 28 digits, dates, times, timestamps and blobs keep their Arrow types; HUGEINT, intervals
/// (ISO 8601), UUIDs and nested values (JSON) travel as strings (<see cref="ArrowTypes"/>). The stream stops at
/// <c>max_rows</c>; when the cut is known before the first batch leaves (<c>max_rows</c> up to <see cref="BatchRows"/>,
/// the default), the schema's metadata carries <c>pipekit.truncated = true</c> and <c>pipekit.max_rows</c>.
/// </summary>
public static class ArrowResultEncoder
{
    /// <summary>How many rows are read before the schema is written, so that a cut within them is in its metadata.</summary>
    public const int BatchRows = 64 * 1024;

    /// <returns>True when <paramref name="maxRows"/> cut the result.</returns>
    public static async Task<bool> WriteAsync(QueryCursor cursor, Stream output, long maxRows, Redactor redactor, CancellationToken cancellationToken)
    {
        if (!cursor.IsBatched) throw new InvalidOperationException("an Arrow result needs a query opened with ResultFormat.Arrow");
        var names = NdjsonResultEncoder.UniqueNames(cursor.Columns);
        var native = cursor.NativeSchema;
        var redaction = redactor.Snapshot();
        var conversions = new ArrowColumnConversion[cursor.Columns.Count];
        var schema = new Schema.Builder();
        for (var i = 0; i < conversions.Length; i++)
        {
            var type = ArrowTypes.For(cursor.Columns[i]);
            conversions[i] = ArrowColumnConversion.For(names[i], native.FieldsList[i].DataType, type, redaction);
            var name = names[i];
            schema.Field(f => f.Name(name).DataType(type).Nullable(true));
        }
        var chunks = new ChunkReader(cursor, maxRows);
        var first = new List<(RecordBatch Chunk, int Rows)>();
        try
        {
            // The first rows are read before the schema is written, so a cut within them is in the schema's metadata.
            var gathered = 0;
            while (gathered < BatchRows && await chunks.NextAsync(cancellationToken) is { } chunk)
            {
                first.Add(chunk);
                gathered += chunk.Rows;
            }
            if (cursor.Truncated)
                schema.Metadata("pipekit.truncated", "true").Metadata("pipekit.max_rows", maxRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var built = schema.Build();
            // The IPC writer writes each buffer of each batch separately; gathering them spares the response a write per buffer.
            var buffered = new BufferedStream(output, 256 * 1024);
            using (var writer = new ArrowStreamWriter(buffered, built, leaveOpen: true))
            {
                await writer.WriteStartAsync(cancellationToken);
                foreach (var chunk in first) await WriteAsync(writer, built, conversions, chunk, cancellationToken);
                while (await chunks.NextAsync(cancellationToken) is { } chunk)
                {
                    using (chunk.Chunk) await WriteAsync(writer, built, conversions, chunk, cancellationToken);
                }
                await writer.WriteEndAsync(cancellationToken);
            }
            await buffered.FlushAsync(cancellationToken);
        }
        finally
        {
            foreach (var (chunk, _) in first) chunk.Dispose();
        }
        return cursor.Truncated;
    }

    private static async Task WriteAsync(ArrowStreamWriter writer, Schema schema, ArrowColumnConversion[] conversions, (RecordBatch Chunk, int Rows) chunk,
        CancellationToken cancellationToken)
    {
        var owned = new List<IArrowArray>();
        try
        {
            var arrays = new IArrowArray[conversions.Length];
            for (var c = 0; c < arrays.Length; c++)
            {
                var column = chunk.Chunk.Column(c);
                if (chunk.Rows < column.Length) column = ArrowArrayFactory.Slice(column, 0, chunk.Rows);
                var (array, isNew) = conversions[c].Apply(column);
                if (isNew) owned.Add(array);
                arrays[c] = array;
            }
            await writer.WriteRecordBatchAsync(new RecordBatch(schema, arrays, chunk.Rows), cancellationToken);
        }
        finally
        {
            foreach (var array in owned) array.Dispose();
        }
    }

    // DuckDB's chunks with the number of their rows that are sent: all of them but at the row cap, where the rest of
    // the chunk (or one more chunk) tells whether the result was cut.
    private sealed class ChunkReader(QueryCursor cursor, long maxRows)
    {
        private long _total;
        private bool _ended;

        public async Task<(RecordBatch Chunk, int Rows)?> NextAsync(CancellationToken cancellationToken)
        {
            while (!_ended)
            {
                var chunk = await cursor.ReadBatchAsync(cancellationToken);
                if (chunk is null)
                {
                    _ended = true;
                    return null;
                }
                if (chunk.Length == 0)
                {
                    chunk.Dispose();
                    continue;
                }
                if (_total >= maxRows)
                {
                    // Past the cap: this chunk only says the result goes on.
                    chunk.Dispose();
                    cursor.Truncated = true;
                    _ended = true;
                    return null;
                }
                var rows = (int)Math.Min(chunk.Length, maxRows - _total);
                if (rows < chunk.Length)
                {
                    cursor.Truncated = true;
                    _ended = true;
                }
                _total += rows;
                cursor.CountRows(rows);
                return (chunk, rows);
            }
            return null;
        }
    }
}
