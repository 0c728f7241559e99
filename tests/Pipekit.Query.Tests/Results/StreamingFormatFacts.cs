using System.Text;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Pipekit.Core.Secrets;
using Pipekit.Query.Results;
using Xunit;

namespace Pipekit.Query.Tests.Results;

public sealed class StreamingFormatFacts : IDisposable
{
    private readonly Pipekit.Query.Engine.QueryEngine _engine = QueryTestEngine.Create();

    [Fact]
    public async Task Ndjson_is_one_object_per_row_with_repeated_names_suffixed()
    {
        var text = await WriteAsync("SELECT i AS a, i * 2 AS a, [i] AS l FROM range(2) t(i)", NdjsonResultEncoder.WriteAsync);

        Assert.Equal("{\"a\":0,\"a_1\":0,\"l\":[0]}\n{\"a\":1,\"a_1\":2,\"l\":[1]}\n", text);
    }

    [Fact]
    public async Task Ndjson_is_sent_in_pieces_as_rows_are_read()
    {
        await using var cursor = await _engine.OpenAsync("SELECT i, repeat('x', 100) AS pad FROM range(20000) t(i)", CancellationToken.None);
        var output = new CountingStream();

        await NdjsonResultEncoder.WriteAsync(cursor, output, long.MaxValue, new Redactor([]), CancellationToken.None);

        Assert.True(output.Writes > 10, $"expected many writes, got {output.Writes}");
        Assert.Equal(20000, cursor.RowCount);
    }

    [Fact]
    public async Task Csv_has_a_header_quotes_where_needed_and_leaves_null_empty()
    {
        var text = await WriteAsync("SELECT 1 AS id, 'a,b' AS name, NULL::VARCHAR AS note, 'say \"hi\"' AS q, DATE '2024-01-02' AS d",
            CsvResultEncoder.WriteAsync);

        Assert.Equal("id,name,note,q,d\r\n1,\"a,b\",,\"say \"\"hi\"\"\",2024-01-02\r\n", text);
    }

    [Fact]
    public async Task Arrow_stream_keeps_types_and_values()
    {
        await using var cursor = await _engine.OpenAsync(
            "SELECT i::INTEGER AS i, i * 1.5 AS d, 'r' || i AS s, DATE '2024-01-01' + i::INTEGER AS day, " +
            "CASE WHEN i = 1 THEN NULL ELSE 12.34::DECIMAL(6,2) END AS m, [i] AS l FROM range(3) t(i)", ResultFormat.Arrow, CancellationToken.None);
        using var output = new MemoryStream();

        await ArrowResultEncoder.WriteAsync(cursor, output, long.MaxValue, new Redactor([]), CancellationToken.None);

        output.Position = 0;
        using var reader = new ArrowStreamReader(output);
        var batch = await reader.ReadNextRecordBatchAsync();
        Assert.Equal(3, batch.Length);
        Assert.Equal(2, ((Int32Array)batch.Column("i")).GetValue(2));
        Assert.Equal(3.0, ((DecimalArray(batch.Column("d"))) ?? ((DoubleArray)batch.Column("d")).GetValue(2)));
        Assert.Equal("r1", ((StringArray)batch.Column("s")).GetString(1));
        Assert.Equal(new DateTime(2024, 1, 3), ((Date32Array)batch.Column("day")).GetDateTime(2));
        Assert.Null(((Decimal128Array)batch.Column("m")).GetValue(1));
        Assert.Equal(12.34m, ((Decimal128Array)batch.Column("m")).GetValue(0));
        Assert.Equal("[2]", ((StringArray)batch.Column("l")).GetString(2));
    }

    private static double? DecimalArray(IArrowArray array) => array is Decimal128Array d ? (double?)d.GetValue(2) : null;

    [Fact]
    public async Task Ndjson_cut_at_max_rows_ends_with_a_truncation_line()
    {
        var text = await WriteAsync("SELECT i FROM range(5) t(i)", NdjsonResultEncoder.WriteAsync, maxRows: 2);

        Assert.Equal("{\"i\":0}\n{\"i\":1}\n{\"truncated\":true,\"row_count\":2,\"max_rows\":2}\n", text);
    }

    [Fact]
    public async Task Ndjson_exactly_at_max_rows_is_complete_and_has_no_truncation_line()
    {
        var text = await WriteAsync("SELECT i FROM range(2) t(i)", NdjsonResultEncoder.WriteAsync, maxRows: 2);

        Assert.Equal("{\"i\":0}\n{\"i\":1}\n", text);
    }

    [Fact]
    public async Task Csv_cut_at_max_rows_stops_there_and_says_so_to_the_caller()
    {
        await using var cursor = await _engine.OpenAsync("SELECT i FROM range(5) t(i)", CancellationToken.None);
        using var output = new MemoryStream();

        var truncated = await CsvResultEncoder.WriteAsync(cursor, output, 3, new Redactor([]), CancellationToken.None);

        Assert.True(truncated);
        Assert.True(cursor.Truncated);
        Assert.Equal("i\r\n0\r\n1\r\n2\r\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Csv_within_max_rows_is_not_truncated()
    {
        await using var cursor = await _engine.OpenAsync("SELECT i FROM range(3) t(i)", CancellationToken.None);
        using var output = new MemoryStream();

        Assert.False(await CsvResultEncoder.WriteAsync(cursor, output, 3, new Redactor([]), CancellationToken.None));
        Assert.Equal("i\r\n0\r\n1\r\n2\r\n", Encoding.UTF8.GetString(output.ToArray()));
    }

    [Fact]
    public async Task Arrow_cut_at_max_rows_carries_the_cut_in_the_schema_metadata()
    {
        await using var cursor = await _engine.OpenAsync("SELECT i FROM range(10) t(i)", ResultFormat.Arrow, CancellationToken.None);
        using var output = new MemoryStream();

        Assert.True(await ArrowResultEncoder.WriteAsync(cursor, output, 4, new Redactor([]), CancellationToken.None));

        output.Position = 0;
        using var reader = new ArrowStreamReader(output);
        var batch = await reader.ReadNextRecordBatchAsync();
        Assert.Equal(4, batch.Length);
        Assert.Null(await reader.ReadNextRecordBatchAsync());
        Assert.Equal("true", reader.Schema.Metadata["pipekit.truncated"]);
        Assert.Equal("4", reader.Schema.Metadata["pipekit.max_rows"]);
    }

    [Fact]
    public async Task Arrow_cut_after_the_first_batch_stops_at_max_rows()
    {
        await using var cursor = await _engine.OpenAsync("SELECT i FROM range(100000) t(i)", ResultFormat.Arrow, CancellationToken.None);
        using var output = new MemoryStream();

        Assert.True(await ArrowResultEncoder.WriteAsync(cursor, output, ArrowResultEncoder.BatchRows + 10, new Redactor([]), CancellationToken.None));

        output.Position = 0;
        using var reader = new ArrowStreamReader(output);
        long rows = 0;
        while (await reader.ReadNextRecordBatchAsync() is { } batch) rows += batch.Length;
        Assert.Equal(ArrowResultEncoder.BatchRows + 10, rows);
        Assert.False(reader.Schema.HasMetadata);
    }

    [Fact]
    public async Task Arrow_within_max_rows_has_no_truncation_metadata()
    {
        await using var cursor = await _engine.OpenAsync("SELECT i FROM range(3) t(i)", ResultFormat.Arrow, CancellationToken.None);
        using var output = new MemoryStream();

        Assert.False(await ArrowResultEncoder.WriteAsync(cursor, output, 3, new Redactor([]), CancellationToken.None));

        output.Position = 0;
        using var reader = new ArrowStreamReader(output);
        Assert.Equal(3, (await reader.ReadNextRecordBatchAsync()).Length);
        Assert.False(reader.Schema.HasMetadata);
    }

    private async Task<string> WriteAsync(string sql, Func<Pipekit.Query.Engine.QueryCursor, Stream, long, Redactor, CancellationToken, Task<bool>> write,
        long maxRows = long.MaxValue)
    {
        await using var cursor = await _engine.OpenAsync(sql, CancellationToken.None);
        using var output = new MemoryStream();
        await write(cursor, output, maxRows, new Redactor([]), CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    public void Dispose() => _engine.Dispose();

    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
