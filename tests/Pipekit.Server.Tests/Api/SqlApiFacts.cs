using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Pipekit.Core.Configuration;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public sealed class SqlApiFacts : IDisposable
{
    private readonly PipekitApp _app = new(query: new QueryOptions { MaxRows = 5, Timeout = TimeSpan.FromSeconds(1) });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Post_sql_answers_the_seed_envelope_exactly()
    {
        var response = await _app.Client().PostAsync("/sql", Body("SELECT 1 AS id, 'a' AS name"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("{\"columns\":[{\"name\":\"id\",\"type\":\"INTEGER\"},{\"name\":\"name\",\"type\":\"VARCHAR\"}],\"rows\":[[1,\"a\"]],\"row_count\":1}",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_registered_dataset_is_queryable_through_api_sql()
    {
        var client = _app.Client();
        var file = _app.File("orders.parquet");
        WriteParquet(file, "SELECT i AS id, i * 10 AS amount FROM range(3) t(i)");

        var added = await client.PostJsonAsync("/api/datasets", new { name = "orders", uri = file }, HttpStatusCode.Created);
        var result = await client.PostJsonAsync("/api/sql", new { sql = "SELECT sum(amount) AS total FROM orders" });

        Assert.Equal("ok", (string)added["status"]!);
        Assert.Equal(30, (int)result["rows"]![0]![0]!);
        var list = await client.GetJsonAsync("/api/datasets");
        Assert.Equal("orders", (string)list["items"]![0]!["name"]!);
    }

    [Fact]
    public async Task A_dataset_can_be_deleted_and_refreshed()
    {
        var client = _app.Client();
        var file = _app.File("t.parquet");
        WriteParquet(file, "SELECT 1 AS v");
        await client.PostJsonAsync("/api/datasets", new { name = "t", uri = file }, HttpStatusCode.Created);

        var refresh = await client.PostJsonAsync("/api/datasets/refresh");
        Assert.Equal(1, (int)refresh["skipped"]!);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/datasets/t/delete")).StatusCode);

        var gone = await client.PostAsync("/sql", Body("SELECT * FROM t"));
        await gone.ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/datasets/t/delete")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Bad_dataset_input_is_a_400_and_a_taken_name_a_409()
    {
        var client = _app.Client();
        var file = _app.File("t.parquet");
        WriteParquet(file, "SELECT 1 AS v");

        await (await client.PostAsync("/api/datasets", new { name = "bad name", uri = file })).ProblemAsync(HttpStatusCode.BadRequest);
        await client.PostJsonAsync("/api/datasets", new { name = "t", uri = file }, HttpStatusCode.Created);
        await (await client.PostAsync("/api/datasets", new { name = "t", uri = file })).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_body_over_64_KiB_is_a_413()
    {
        var sql = "SELECT 1 -- " + new string('x', 64 * 1024);

        var response = await _app.Client().PostAsync("/sql", Body(sql));

        await response.ProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("{\"sql\": \"\"}")]
    [InlineData("{\"sql\": \"   \"}")]
    [InlineData("{}")]
    [InlineData("{\"sql\": \"SELECT 1\", \"extra\": 1}")]
    [InlineData("not json")]
    public async Task Empty_or_malformed_requests_are_a_400(string body)
    {
        var response = await _app.Client().PostAsync("/sql", new StringContent(body, Encoding.UTF8, "application/json"));

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_duckdb_error_is_a_400_with_secrets_redacted()
    {
        var response = await _app.Client().PostAsync("/sql", Body($"SELECT * FROM \"{PipekitApp.SecretValue}\""));

        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain(PipekitApp.SecretValue, problem.ToJsonString());
        Assert.Contains("***", (string)problem["detail"]!);
    }

    [Fact]
    public async Task A_write_statement_is_a_400()
    {
        var response = await _app.Client().PostAsync("/sql", Body("COPY (SELECT 1) TO '/tmp/pipekit-x.csv'"));

        await response.ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_query_past_the_timeout_is_a_408()
    {
        var response = await _app.Client().PostAsync("/sql", Body("SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 3"));

        await response.ProblemAsync(HttpStatusCode.RequestTimeout);
    }

    [Fact]
    public async Task A_result_over_max_rows_is_marked_truncated()
    {
        var result = await _app.Client().PostJsonAsync("/sql", new { sql = "SELECT * FROM range(100)" });

        Assert.Equal(5, (int)result["row_count"]!);
        Assert.True((bool)result["truncated"]!);
    }

    [Theory]
    [InlineData("text/csv", "text/csv", "i\r\n0\r\n1\r\n2\r\n")]
    [InlineData("application/x-ndjson", "application/x-ndjson", "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n")]
    public async Task The_accept_header_chooses_the_format(string accept, string mediaType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sql") { Content = Body("SELECT * FROM range(3) t(i)") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));

        var response = await _app.Client().SendAsync(request);

        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Arrow_is_an_ipc_stream()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sql") { Content = Body("SELECT * FROM range(3) t(i)") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.apache.arrow.stream"));

        var response = await _app.Client().SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal("application/vnd.apache.arrow.stream", response.Content.Headers.ContentType?.MediaType);
        Assert.True(bytes.Length > 100);
    }

    [Theory]
    [InlineData("text/csv", "i\r\n0\r\n1\r\n2\r\n3\r\n4\r\n")]
    [InlineData("application/x-ndjson", "{\"i\":0}\n{\"i\":1}\n{\"i\":2}\n{\"i\":3}\n{\"i\":4}\n{\"truncated\":true,\"row_count\":5,\"max_rows\":5}\n")]
    public async Task Streamed_formats_stop_at_max_rows_and_say_so_in_header_and_trailers(string accept, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sql") { Content = Body("SELECT * FROM range(8) t(i)") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));

        var response = await _app.Client().SendAsync(request);

        Assert.Equal(body, await response.Content.ReadAsStringAsync());
        Assert.Equal("5", response.Headers.GetValues("Pipekit-Max-Rows").Single());
        Assert.Equal("true", response.TrailingHeaders.GetValues("Pipekit-Truncated").Single());
        Assert.Equal("5", response.TrailingHeaders.GetValues("Pipekit-Row-Count").Single());
    }

    [Fact]
    public async Task A_streamed_result_within_max_rows_has_a_false_truncation_trailer()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sql") { Content = Body("SELECT * FROM range(5) t(i)") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));

        var response = await _app.Client().SendAsync(request);

        Assert.Equal("i\r\n0\r\n1\r\n2\r\n3\r\n4\r\n", await response.Content.ReadAsStringAsync());
        Assert.Equal("false", response.TrailingHeaders.GetValues("Pipekit-Truncated").Single());
    }

    [Fact]
    public async Task Arrow_cut_at_max_rows_carries_the_cut_in_its_schema()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sql") { Content = Body("SELECT * FROM range(8) t(i)") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.apache.arrow.stream"));

        var response = await _app.Client().SendAsync(request);
        using var reader = new Apache.Arrow.Ipc.ArrowStreamReader(await response.Content.ReadAsStreamAsync());
        var batch = await reader.ReadNextRecordBatchAsync();

        Assert.Equal(5, batch.Length);
        Assert.Null(await reader.ReadNextRecordBatchAsync());
        Assert.Equal("true", reader.Schema.Metadata["pipekit.truncated"]);
        Assert.Equal("true", response.TrailingHeaders.GetValues("Pipekit-Truncated").Single());
    }

    [Fact]
    public async Task An_unacceptable_format_is_a_406()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/sql") { Content = Body("SELECT 1") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("image/png"));

        var response = await _app.Client().SendAsync(request);

        Assert.Equal(HttpStatusCode.NotAcceptable, response.StatusCode);
    }

    [Fact]
    public async Task Sql_needs_credentials()
    {
        var response = await _app.Anonymous().PostAsync("/sql", Body("SELECT 1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static StringContent Body(string sql) =>
        new(new JsonObject { ["sql"] = sql }.ToJsonString(), Encoding.UTF8, "application/json");

    private static void WriteParquet(string path, string select)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"COPY ({select}) TO '{path}' (FORMAT parquet)";
        command.ExecuteNonQuery();
    }
}
