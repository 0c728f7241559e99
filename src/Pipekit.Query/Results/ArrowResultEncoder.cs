using Apache.Arrow;
using Apache.Arrow.Ipc;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Results;

/// <summary>
/// An Arrow IPC stream made from DuckDB's own Arrow export: DuckDB fills Arrow buffers chunk by chunk (C data interface,
/// through DuckDB.NET), the chunks are gathered into record batches of about <see cref="BatchRows"/> rows and written, so
/// no value passes through .NET one at a time. Integers, floats, decimals up to 28 digits, dates, times, timestamps and
/// blobs keep their Arrow types; HUGEINT, intervals (ISO 8601), UUIDs and nested values (JSON) travel as strings
/// (<see cref="ArrowTypes"/>). Only one batch is held at a time. The stream stops at <c>max_rows</c>; when the cut is
/// known before the first batch leaves (<c>max_rows</c> up to <see cref="BatchRows"/>, the default), the schema's
/// metadata carries <c>pipekit.truncated = true</c> and <c>pipekit.max_rows</c>.
/// </summary>
public static class ArrowResultEncoder
{
    /// <summary>A batch is sent once it holds at least this many rows (whole DuckDB chunks of up to 2,048 rows each).</summary>
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
        var pending = new Pending(cursor, maxRows);
        try
        {
            // The first batch is read before the schema is written, so a cut within it is in the schema's metadata.
            await pending.FillAsync(cancellationToken);
            if (cursor.Truncated)
                schema.Metadata("pipekit.truncated", "true").Metadata("pipekit.max_rows", maxRows.ToString(System.Globalization.CultureInfo.InvariantCulture));
            var built = schema.Build();
            using var writer = new ArrowStreamWriter(output, built, leaveOpen: true);
            await writer.WriteStartAsync(cancellationToken);
            while (pending.Rows > 0)
            {
                await pending.WriteAsync(writer, built, conversions, cancellationToken);
                await pending.FillAsync(cancellationToken);
            }
            await writer.WriteEndAsync(cancellationToken);
        }
        finally
        {
            pending.Clear();
        }
        return cursor.Truncated;
    }

    // The DuckDB chunks of the batch being gathered, each with the number of its rows that are sent (fewer than its
    // length only at the row cap).
    private sealed class Pending(QueryCursor cursor, long maxRows)
    {
        private readonly List<(RecordBatch Chunk, int Take)> _chunks = [];
        private long _total;
        private bool _ended;

        public int Rows { get; private set; }

        public async Task FillAsync(CancellationToken cancellationToken)
        {
            while (!_ended && Rows < BatchRows)
            {
                if (_total >= maxRows)
                {
                    // At the cap: one more non-empty chunk means the result was cut.
                    await ProbeAsync(cancellationToken);
                    _ended = true;
                    return;
                }
                var chunk = await cursor.ReadBatchAsync(cancellationToken);
                if (chunk is null)
                {
                    _ended = true;
                    return;
                }
                if (chunk.Length == 0)
                {
                    chunk.Dispose();
                    continue;
                }
                var take = (int)Math.Min(chunk.Length, maxRows - _total);
                if (take < chunk.Length) cursor.Truncated = true;
                _chunks.Add((chunk, take));
                Rows += take;
                _total += take;
                cursor.CountRows(take);
            }
        }

        public async Task WriteAsync(ArrowStreamWriter writer, Schema schema, ArrowColumnConversion[] conversions, CancellationToken cancellationToken)
        {
            var owned = new List<IArrowArray>();
            try
            {
                var arrays = new IArrowArray[conversions.Length];
                for (var c = 0; c < arrays.Length; c++)
                {
                    IArrowArray merged;
                    if (_chunks.Count == 1)
                    {
                        merged = Part(_chunks[0], c);
                    }
                    else
                    {
                        var parts = new IArrowArray[_chunks.Count];
                        for (var k = 0; k < parts.Length; k++) parts[k] = Part(_chunks[k], c);
                        merged = ArrowArrayConcatenator.Concatenate(parts);
                        owned.Add(merged);
                    }
                    var (array, isNew) = conversions[c].Apply(merged);
                    if (isNew) owned.Add(array);
                    arrays[c] = array;
                }
                await writer.WriteRecordBatchAsync(new RecordBatch(schema, arrays, Rows), cancellationToken);
            }
            finally
            {
                foreach (var array in owned) array.Dispose();
                Clear();
            }
        }

        /// <summary>Gives back DuckDB's buffers of every gathered chunk.</summary>
        public void Clear()
        {
            foreach (var (chunk, _) in _chunks) chunk.Dispose();
            _chunks.Clear();
            Rows = 0;
        }

        private static IArrowArray Part((RecordBatch Chunk, int Take) entry, int column)
        {
            var array = entry.Chunk.Column(column);
            return entry.Take == array.Length ? array : ArrowArrayFactory.Slice(array, 0, entry.Take);
        }

        private async Task ProbeAsync(CancellationToken cancellationToken)
        {
            if (cursor.Truncated) return;
            while (await cursor.ReadBatchAsync(cancellationToken) is { } chunk)
            {
                using (chunk)
                {
                    if (chunk.Length == 0) continue;
                    cursor.Truncated = true;
                    return;
                }
            }
        }
    }
}
