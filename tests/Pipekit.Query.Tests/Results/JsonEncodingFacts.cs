using System.Text.Json;
using Pipekit.Core.Secrets;
using Pipekit.Query.Results;
using Xunit;

namespace Pipekit.Query.Tests.Results;

public sealed class JsonEncodingFacts : IDisposable
{
    private readonly Pipekit.Query.Engine.QueryEngine _engine = QueryTestEngine.Create(maxRows: 3);

    // Each DuckDB type, the type name the envelope reports, and the exact JSON of the value.
    [Theory]
    [InlineData("true", "BOOLEAN", "true")]
    [InlineData("(-7)::TINYINT", "TINYINT", "-7")]
    [InlineData("300::SMALLINT", "SMALLINT", "300")]
    [InlineData("2147483647::INTEGER", "INTEGER", "2147483647")]
    [InlineData("9223372036854775807::BIGINT", "BIGINT", "9223372036854775807")]
    [InlineData("255::UTINYINT", "UTINYINT", "255")]
    [InlineData("65535::USMALLINT", "USMALLINT", "65535")]
    [InlineData("4294967295::UINTEGER", "UINTEGER", "4294967295")]
    [InlineData("18446744073709551615::UBIGINT", "UBIGINT", "18446744073709551615")]
    [InlineData("170141183460469231731687303715884105727::HUGEINT", "HUGEINT", "170141183460469231731687303715884105727")]
    [InlineData("340282366920938463463374607431768211455::UHUGEINT", "UHUGEINT", "340282366920938463463374607431768211455")]
    [InlineData("123.45::DECIMAL(5,2)", "DECIMAL(5,2)", "123.45")]
    [InlineData("1234567890.123456789::DECIMAL(19,9)", "DECIMAL(19,9)", "\"1234567890.123456789\"")]
    [InlineData("12345678901234567890123456789.123456789::DECIMAL(38,9)", "DECIMAL(38,9)", "\"12345678901234567890123456789.123456789\"")]
    [InlineData("1.5::FLOAT", "FLOAT", "1.5")]
    [InlineData("'nan'::FLOAT", "FLOAT", "\"NaN\"")]
    [InlineData("0.1::DOUBLE", "DOUBLE", "0.1")]
    [InlineData("'nan'::DOUBLE", "DOUBLE", "\"NaN\"")]
    [InlineData("'inf'::DOUBLE", "DOUBLE", "\"Infinity\"")]
    [InlineData("'-inf'::DOUBLE", "DOUBLE", "\"-Infinity\"")]
    [InlineData("'héllo \"q\"'", "VARCHAR", "\"héllo \\\"q\\\"\"")]
    [InlineData("'\\x01\\xFF'::BLOB", "BLOB", "\"Af8=\"")]
    [InlineData("'6b2b8c4e-1f0a-4d5e-9a3b-2c1d0e9f8a7b'::UUID", "UUID", "\"6b2b8c4e-1f0a-4d5e-9a3b-2c1d0e9f8a7b\"")]
    [InlineData("DATE '2024-02-29'", "DATE", "\"2024-02-29\"")]
    [InlineData("TIME '12:34:56.789'", "TIME", "\"12:34:56.789\"")]
    [InlineData("TIMESTAMP '2024-01-02 03:04:05.123456'", "TIMESTAMP", "\"2024-01-02T03:04:05.123456\"")]
    [InlineData("TIMESTAMP '2024-01-02 03:04:05'", "TIMESTAMP", "\"2024-01-02T03:04:05\"")]
    [InlineData("TIMESTAMPTZ '2024-01-02 03:04:05+02'", "TIMESTAMP WITH TIME ZONE", "\"2024-01-02T01:04:05Z\"")]
    [InlineData("TIMESTAMP_NS '2024-01-02 03:04:05.123456789'", "TIMESTAMP_NS", "\"2024-01-02T03:04:05.123456789\"")]
    [InlineData("INTERVAL '1 year 2 months 3 days 04:05:06.5'", "INTERVAL", "\"P1Y2M3DT4H5M6.5S\"")]
    [InlineData("INTERVAL '0 seconds'", "INTERVAL", "\"PT0S\"")]
    [InlineData("(INTERVAL '-1 day')", "INTERVAL", "\"P-1D\"")]
    [InlineData("'happy'::ENUM('sad', 'happy')", "ENUM('sad', 'happy')", "\"happy\"")]
    [InlineData("[1, NULL, 3]", "INTEGER[]", "[1,null,3]")]
    [InlineData("[1, 2, 3]::INTEGER[3]", "INTEGER[3]", "[1,2,3]")]
    [InlineData("{'a': 1, 'b': 'x'}", "STRUCT(a INTEGER, b VARCHAR)", "{\"a\":1,\"b\":\"x\"}")]
    [InlineData("MAP {'k': [1, 2]}", "MAP(VARCHAR, INTEGER[])", "{\"k\":[1,2]}")]
    [InlineData("union_value(num := 2)::UNION(num INTEGER, s VARCHAR)", "UNION(num INTEGER, s VARCHAR)", "{\"num\":2}")]
    [InlineData("NULL::INTEGER", "INTEGER", "null")]
    [InlineData("NULL", "INTEGER", "null")]
    [InlineData("'0101'::BIT", "BIT", "\"0101\"")]
    [InlineData("TIMETZ '12:34:56+02'", "TIME WITH TIME ZONE", "\"12:34:56+02\"")]
    public async Task Every_duckdb_type_encodes(string expression, string type, string json)
    {
        var (document, _) = await EncodeAsync($"SELECT {expression} AS v");
        var root = document.RootElement;

        Assert.Equal(type, root.GetProperty("columns")[0].GetProperty("type").GetString());
        Assert.Equal(json, root.GetProperty("rows")[0][0].GetRawText());
    }

    [Fact]
    public async Task A_nested_value_holding_nan_is_sent_as_text_rather_than_failing()
    {
        var (document, _) = await EncodeAsync("SELECT ['nan'::DOUBLE, 1.0] AS v");

        Assert.Equal(JsonValueKind.String, document.RootElement.GetProperty("rows")[0][0].ValueKind);
    }

    [Fact]
    public async Task The_envelope_is_exactly_columns_rows_and_row_count()
    {
        var (document, text) = await EncodeAsync("SELECT 1 AS id, 'a' AS name");

        Assert.Equal("{\"columns\":[{\"name\":\"id\",\"type\":\"INTEGER\"},{\"name\":\"name\",\"type\":\"VARCHAR\"}],\"rows\":[[1,\"a\"]],\"row_count\":1}", text);
        Assert.False(document.RootElement.TryGetProperty("truncated", out _));
    }

    [Fact]
    public async Task A_result_longer_than_the_row_cap_is_cut_and_marked_truncated()
    {
        var (document, _) = await EncodeAsync("SELECT * FROM range(10)");

        Assert.Equal(3, document.RootElement.GetProperty("row_count").GetInt32());
        Assert.Equal(3, document.RootElement.GetProperty("rows").GetArrayLength());
        Assert.True(document.RootElement.GetProperty("truncated").GetBoolean());
    }

    [Fact]
    public async Task A_result_of_exactly_the_row_cap_is_not_marked_truncated()
    {
        var (document, _) = await EncodeAsync("SELECT * FROM range(3)");

        Assert.False(document.RootElement.TryGetProperty("truncated", out _));
    }

    [Fact]
    public async Task Duplicate_column_names_are_kept_as_the_query_named_them()
    {
        var (document, _) = await EncodeAsync("SELECT 1 AS a, [2] AS a");

        Assert.Equal(["a", "a"], document.RootElement.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("name").GetString()));
        Assert.Equal("[1,[2]]", document.RootElement.GetProperty("rows")[0].GetRawText());
    }

    private async Task<(JsonDocument Document, string Text)> EncodeAsync(string sql)
    {
        await using var cursor = await _engine.OpenAsync(sql, CancellationToken.None);
        var buffer = JsonResultEncoder.Encode(cursor, 3, new Redactor([]), CancellationToken.None);
        var text = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        return (JsonDocument.Parse(text), text);
    }

    public void Dispose() => _engine.Dispose();
}
