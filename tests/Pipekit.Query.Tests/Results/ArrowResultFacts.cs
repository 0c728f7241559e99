using System.Globalization;
using Apache.Arrow;
using Apache.Arrow.Ipc;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;
using Pipekit.Query.Results;
using Xunit;

namespace Pipekit.Query.Tests.Results;

/// <summary>The Arrow result taken from DuckDB's own Arrow export: the types Pipekit promises, the cap, errors and redaction.</summary>
public sealed class ArrowResultFacts : IDisposable
{
    private readonly QueryEngine _engine = QueryTestEngine.Create(timeout: TimeSpan.FromSeconds(30));

    // Each DuckDB type, the Arrow type it is sent as, and the value as the test renders it.
    [Theory]
    [InlineData("true", "bool", "True")]
    [InlineData("(-7)::TINYINT", "int8", "-7")]
    [InlineData("300::SMALLINT", "int16", "300")]
    [InlineData("2147483647::INTEGER", "int32", "2147483647")]
    [InlineData("9223372036854775807::BIGINT", "int64", "9223372036854775807")]
    [InlineData("255::UTINYINT", "uint8", "255")]
    [InlineData("65535::USMALLINT", "uint16", "65535")]
    [InlineData("4294967295::UINTEGER", "uint32", "4294967295")]
    [InlineData("18446744073709551615::UBIGINT", "uint64", "18446744073709551615")]
    [InlineData("170141183460469231731687303715884105727::HUGEINT", "utf8", "170141183460469231731687303715884105727")]
    [InlineData("340282366920938463463374607431768211455::UHUGEINT", "utf8", "340282366920938463463374607431768211455")]
    [InlineData("123.45::DECIMAL(5,2)", "decimal128(5, 2)", "123.45")]
    [InlineData("1234567890.123456789::DECIMAL(19,9)", "decimal128(19, 9)", "1234567890.123456789")]
    [InlineData("12345678901234567890123456789.123456789::DECIMAL(38,9)", "utf8", "12345678901234567890123456789.123456789")]
    [InlineData("1.5::FLOAT", "float", "1.5")]
    [InlineData("'nan'::DOUBLE", "double", "NaN")]
    [InlineData("0.1::DOUBLE", "double", "0.1")]
    [InlineData("'héllo'", "utf8", "héllo")]
    [InlineData("'\\x01\\xFF'::BLOB", "binary", "Af8=")]
    [InlineData("'6b2b8c4e-1f0a-4d5e-9a3b-2c1d0e9f8a7b'::UUID", "utf8", "6b2b8c4e-1f0a-4d5e-9a3b-2c1d0e9f8a7b")]
    [InlineData("DATE '2024-02-29'", "date32", "2024-02-29")]
    [InlineData("TIME '12:34:56.789'", "time64[Microsecond]", "45296789000")]
    [InlineData("TIMESTAMP '2024-01-02 03:04:05.123456'", "timestamp[Microsecond]", "2024-01-02T03:04:05.1234560+00:00")]
    [InlineData("TIMESTAMP_MS '2024-01-02 03:04:05.123'", "timestamp[Microsecond]", "2024-01-02T03:04:05.1230000+00:00")]
    [InlineData("TIMESTAMP_S '2024-01-02 03:04:05'", "timestamp[Microsecond]", "2024-01-02T03:04:05.0000000+00:00")]
    [InlineData("TIMESTAMPTZ '2024-01-02 03:04:05+02'", "timestamp[Microsecond, UTC]", "2024-01-02T01:04:05.0000000+00:00")]
    [InlineData("TIMESTAMP_NS '2024-01-02 03:04:05.123456789'", "utf8", "2024-01-02T03:04:05.123456789")]
    [InlineData("INTERVAL '1 year 2 months 3 days 04:05:06.5'", "utf8", "P1Y2M3DT4H5M6.5S")]
    [InlineData("(INTERVAL '-1 day')", "utf8", "P-1D")]
    [InlineData("'b'::ENUM('a', 'b')", "utf8", "b")]
    [InlineData("[1, 2]", "utf8", "[1,2]")]
    [InlineData("{'k': 'v', 'n': 1}", "utf8", "{\"k\":\"v\",\"n\":1}")]
    [InlineData("MAP {'a': 1}", "utf8", "{\"a\":1}")]
    [InlineData("'{\"a\": 1}'::JSON", "utf8", "{\"a\": 1}")]
    [InlineData("NULL::INTEGER", "int32", "null")]
    [InlineData("NULL::VARCHAR", "utf8", "null")]
    public async Task Each_type_is_sent_as_its_promised_arrow_type(string expression, string arrowType, string value)
    {
        var (schema, batches) = await ReadAsync($"SELECT {expression} AS v");

        Assert.Equal(arrowType, ArrowTypes.Describe(schema.GetFieldByName("v").DataType));
        Assert.Equal(value, Render(batches.Single().Column(0)));
    }

    [Fact]
    public async Task A_large_result_arrives_whole_and_in_order_one_batch_per_duckdb_chunk()
    {
        var (_, batches) = await ReadAsync("SELECT i, 'row ' || i AS s FROM range(200000) t(i)");

        Assert.Equal(200000, batches.Sum(b => b.Length));
        Assert.All(batches, b => Assert.InRange(b.Length, 1, 2048));
        var ids = batches.SelectMany(b => ((Int64Array)b.Column(0)).Values.ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 200000).Select(i => (long)i), ids);
        Assert.Equal("row 199999", ((StringArray)batches[^1].Column(1)).GetString(batches[^1].Length - 1));
    }

    [Fact]
    public async Task A_cut_inside_a_duckdb_chunk_sends_exactly_max_rows()
    {
        await using var cursor = await _engine.OpenAsync("SELECT i FROM range(5000) t(i)", ResultFormat.Arrow, CancellationToken.None);
        using var output = new MemoryStream();

        Assert.True(await ArrowResultEncoder.WriteAsync(cursor, output, 3000, new Redactor([]), CancellationToken.None));

        var (schema, batches) = await ReadBackAsync(output);
        var ids = batches.SelectMany(b => ((Int64Array)b.Column(0)).Values.ToArray()).ToArray();
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => (long)i), ids);
        Assert.Equal("true", schema.Metadata["pipekit.truncated"]);
        Assert.Equal("3000", schema.Metadata["pipekit.max_rows"]);
        Assert.Equal(3000, cursor.RowCount);
    }

    [Fact]
    public async Task An_empty_result_is_a_schema_without_rows()
    {
        var (schema, batches) = await ReadAsync("SELECT i, 'x' AS s FROM range(10) t(i) WHERE i < 0");

        Assert.Equal(["i", "s"], schema.FieldsList.Select(f => f.Name));
        Assert.Equal(0, batches.Sum(b => b.Length));
    }

    [Fact]
    public async Task Secret_values_in_text_are_redacted_and_other_text_is_untouched()
    {
        using var engine = QueryTestEngine.Create(redactor: new Redactor(["hunter2-secret"]));
        await using var cursor = await engine.OpenAsync(
            "SELECT i, CASE WHEN i = 3000 THEN 'pw=hunter2-secret;' ELSE 'plain ' || i END AS s, [i] AS l FROM range(5000) t(i)",
            ResultFormat.Arrow, CancellationToken.None);
        using var output = new MemoryStream();

        await ArrowResultEncoder.WriteAsync(cursor, output, long.MaxValue, new Redactor(["hunter2-secret"]), CancellationToken.None);

        var (_, batches) = await ReadBackAsync(output);
        var text = batches.SelectMany(b => Strings((StringArray)b.Column(1))).ToList();
        Assert.Equal("pw=***;", text[3000]);
        Assert.Equal("plain 2999", text[2999]);
        Assert.Equal("[4999]", batches.SelectMany(b => Strings((StringArray)b.Column(2))).Last());
    }

    [Fact]
    public async Task A_duckdb_error_part_way_through_is_a_redacted_query_error()
    {
        using var engine = QueryTestEngine.Create(redactor: new Redactor(["boom-secret"]));
        await using var cursor = await engine.OpenAsync("SELECT CASE WHEN i = 150000 THEN error('boom-secret') ELSE i END AS v FROM range(200000) t(i)",
            ResultFormat.Arrow, CancellationToken.None);

        var error = await Assert.ThrowsAsync<QueryException>(() =>
            ArrowResultEncoder.WriteAsync(cursor, Stream.Null, long.MaxValue, new Redactor([]), CancellationToken.None));

        Assert.DoesNotContain("boom-secret", error.Message);
    }

    [Fact]
    public async Task An_arrow_query_past_its_timeout_is_interrupted_and_the_engine_goes_on()
    {
        using var engine = QueryTestEngine.Create(timeout: TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<QueryTimeoutException>(async () =>
        {
            await using var cursor = await engine.OpenAsync("SELECT i FROM range(100000000000) t(i) WHERE i % 1000000007 = 3",
                ResultFormat.Arrow, CancellationToken.None);
            await ArrowResultEncoder.WriteAsync(cursor, Stream.Null, long.MaxValue, new Redactor([]), CancellationToken.None);
        });

        Assert.Equal(2, (int)(await QueryTestEngine.RowsAsync(engine, "SELECT 2"))[0][0]!);
    }

    [Fact]
    public async Task A_query_opened_for_rows_cannot_be_written_as_arrow()
    {
        await using var cursor = await _engine.OpenAsync("SELECT 1", CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            ArrowResultEncoder.WriteAsync(cursor, Stream.Null, 10, new Redactor([]), CancellationToken.None));
    }

    private async Task<(Schema Schema, List<RecordBatch> Batches)> ReadAsync(string sql)
    {
        await using var cursor = await _engine.OpenAsync(sql, ResultFormat.Arrow, CancellationToken.None);
        var output = new MemoryStream();
        await ArrowResultEncoder.WriteAsync(cursor, output, long.MaxValue, new Redactor([]), CancellationToken.None);
        return await ReadBackAsync(output);
    }

    private static async Task<(Schema Schema, List<RecordBatch> Batches)> ReadBackAsync(MemoryStream output)
    {
        output.Position = 0;
        var reader = new ArrowStreamReader(output);
        var batches = new List<RecordBatch>();
        while (await reader.ReadNextRecordBatchAsync() is { } batch) batches.Add(batch);
        return (reader.Schema, batches);
    }

    private static IEnumerable<string?> Strings(StringArray array) => Enumerable.Range(0, array.Length).Select(i => array.GetString(i));

    private static string Render(IArrowArray array)
    {
        if (array.IsNull(0)) return "null";
        var invariant = CultureInfo.InvariantCulture;
        return array switch
        {
            BooleanArray a => a.GetValue(0).ToString()!,
            Int8Array a => a.GetValue(0)!.Value.ToString(invariant),
            Int16Array a => a.GetValue(0)!.Value.ToString(invariant),
            Int32Array a => a.GetValue(0)!.Value.ToString(invariant),
            Int64Array a => a.GetValue(0)!.Value.ToString(invariant),
            UInt8Array a => a.GetValue(0)!.Value.ToString(invariant),
            UInt16Array a => a.GetValue(0)!.Value.ToString(invariant),
            UInt32Array a => a.GetValue(0)!.Value.ToString(invariant),
            UInt64Array a => a.GetValue(0)!.Value.ToString(invariant),
            FloatArray a => a.GetValue(0)!.Value.ToString("R", invariant),
            DoubleArray a => a.GetValue(0)!.Value.ToString("R", invariant),
            Decimal128Array a => a.GetValue(0)!.Value.ToString(invariant),
            StringArray a => a.GetString(0),
            BinaryArray a => Convert.ToBase64String(a.GetBytes(0)),
            Date32Array a => a.GetDateOnly(0)!.Value.ToString("yyyy-MM-dd", invariant),
            Time64Array a => a.GetValue(0)!.Value.ToString(invariant),
            TimestampArray a => a.GetTimestamp(0)!.Value.ToString("o", invariant),
            _ => throw new InvalidOperationException($"no rendering for {array.GetType().Name}"),
        };
    }

    public void Dispose() => _engine.Dispose();
}
