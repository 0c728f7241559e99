using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Pipekit.Core.Configuration;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public sealed class JobsApiFacts : IDisposable
{
    private const string Slow = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10000000000) SELECT count(*) FROM c;";

    private readonly PipekitApp _app = new(chains: new ChainsOptions { WebhookSecret = "$" + PipekitApp.SecretName });

    public void Dispose() => _app.Dispose();

    private static Dictionary<string, object> Tree(params (string Path, string Content)[] files) =>
        files.ToDictionary(f => f.Path, f => (object)new { content = f.Content });

    private static readonly (string, string)[] Shop =
    [
        ("init/01_tables.sql", "create table item (id integer primary key, name text);"),
        ("seed/01_items.sql", "insert into item values (1, 'apple'), (2, 'pear');"),
        ("test/01_by_id.sql", "select id, name from item where id <= @max order by id;"),
    ];

    private static async Task<JsonNode> WaitAsync(HttpClient client, long id)
    {
        for (var i = 0; i < 600; i++)
        {
            var job = await client.GetJsonAsync($"/v1/jobs/{id}");
            if ((string)job["status"]! is "completed" or "failed" or "canceled") return job;
            await Task.Delay(50);
        }
        throw new TimeoutException($"job {id} did not end");
    }

    [Fact]
    public async Task A_short_job_starts_at_once_and_a_second_run_hits_the_snapshot()
    {
        var client = _app.Client();
        var body = new { request_id = "r-1", user_id = "u-1", project_tree = Tree(Shop), head_path = "test/01_by_id.sql", variables = new { max = 1 }, engine = "sqlite" };
        var created = await client.PostJsonAsync("/v1/jobs", body, HttpStatusCode.Accepted);
        var cold = await WaitAsync(client, (long)created["id"]!);

        Assert.Equal("completed", (string)cold["status"]!);
        Assert.Equal("r-1", (string)cold["request_id"]!);
        Assert.Equal(["id", "name"], cold["rows"]!["columns"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal(1, (int)cold["rows"]!["row_count"]!);
        Assert.Equal("apple", (string)cold["rows"]!["rows"]![0]![1]!);
        Assert.False((bool)cold["snapshot"]!["hit"]!);
        Assert.Equal("not_cached", (string)cold["snapshot"]!["miss"]!["kind"]!);
        Assert.Equal(64, ((string)cold["snapshot"]!["tail_hash"]!).Length);
        Assert.Equal(["parsing", "snapshot_lookup", "tail_replay", "instance_boot", "head_execution", "publishing"],
            cold["progress"]!["stages"]!.AsArray().Select(s => (string)s!["stage"]!));
        Assert.NotEmpty(cold["logs"]!.AsArray());
        Assert.False((bool)cold["metrics"]!["cache_hit"]!);
        Assert.True((long)cold["metrics"]!["latency_ms"]! >= 0);

        var warm = await WaitAsync(client, (long)(await client.PostJsonAsync("/v1/jobs", body, HttpStatusCode.Accepted))["id"]!);
        Assert.True((bool)warm["snapshot"]!["hit"]!);
        Assert.Equal((string)cold["snapshot"]!["tail_hash"]!, (string)warm["snapshot"]!["tail_hash"]!);
        Assert.Null(warm["snapshot"]!["miss"]);

        var metrics = await (await client.GetAsync("/metrics")).Content.ReadAsStringAsync();
        Assert.Contains("pipekit_chain_cache_lookups_total{cache=\"hit\"} 1", metrics);
        Assert.Contains("pipekit_chain_jobs_total{status=\"completed\"} 2", metrics);
    }

    [Fact]
    public async Task A_long_job_takes_files_in_parts_and_runs_on_request()
    {
        var client = _app.Client();
        var created = await client.PostJsonAsync("/v1/jobs",
            new { project_tree = Tree(Shop[0]), head_path = "test/01_by_id.sql", variables = new { max = 5 }, engine = "duckdb", defer_run = true },
            HttpStatusCode.Accepted);
        var id = (long)created["id"]!;
        Assert.Equal("pending", (string)created["status"]!);

        await client.PostJsonAsync($"/v1/jobs/{id}/append", new { project_tree = Tree(Shop[1]) });
        await client.PostJsonAsync($"/v1/jobs/{id}/append", new { project_tree = Tree(Shop[2], Shop[1]) });
        var conflict = await (await client.PostAsync($"/v1/jobs/{id}/append", new { project_tree = Tree(("seed/01_items.sql", "select 1;")) }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("different content", (string)conflict["detail"]!);

        await client.PostJsonAsync($"/v1/jobs/{id}/run", null, HttpStatusCode.Accepted);
        var done = await WaitAsync(client, id);
        Assert.Equal("completed", (string)done["status"]!);
        Assert.Equal(2, (int)done["rows"]!["row_count"]!);

        await (await client.PostAsync($"/v1/jobs/{id}/run")).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync($"/v1/jobs/{id}/append", new { project_tree = Tree(("x.sql", "select 1;")) })).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync($"/v1/jobs/{id}/cancel")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_deferred_job_without_its_head_cannot_run()
    {
        var client = _app.Client();
        var id = (long)(await client.PostJsonAsync("/v1/jobs", new { project_tree = Tree(Shop[0]), head_path = "test/01_by_id.sql", engine = "sqlite", defer_run = true },
            HttpStatusCode.Accepted))["id"]!;
        var problem = await (await client.PostAsync($"/v1/jobs/{id}/run")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("not in the project tree", (string)problem["detail"]!);
        Assert.Equal("pending", (string)(await client.GetJsonAsync($"/v1/jobs/{id}"))["status"]!);
    }

    [Theory]
    [InlineData("../etc/passwd", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("init\\x.sql", "backslash")]
    public async Task Path_traversal_in_a_project_tree_is_a_400_and_creates_nothing(string path, string expected)
    {
        var client = _app.Client();
        var problem = await (await client.PostAsync("/v1/jobs", new { project_tree = Tree((path, "select 1;")), head_path = path, engine = "sqlite" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(expected, (string)problem["detail"]!);
        Assert.Empty((await client.GetJsonAsync("/v1/jobs"))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"project_tree": {"a.sql": {"content": "select 1;"}}, "head_path": "b.sql", "engine": "sqlite"}""", HttpStatusCode.BadRequest, "not in the project tree")]
    [InlineData("""{"project_tree": {"a.sql": {"content": "select 1;"}}, "head_path": "a.sql", "engine": "oracle"}""", HttpStatusCode.BadRequest, "unknown engine")]
    [InlineData("""{"project_tree": {"a.sql": {"content": "select 1;"}}, "head_path": "a.sql", "engine": "sqlite", "colour": "red"}""", HttpStatusCode.BadRequest, "colour")]
    [InlineData("""{"project_tree": {"a.sql": {"content": "select 1;"}}, "head_path": "a.sql", "engine": "sqlite", "timeout_ms": 0}""", HttpStatusCode.BadRequest, "timeout_ms")]
    [InlineData("""{"project_tree": {"a.sql": {"content": "select 1;"}}, "head_path": "a.sql", "engine": "sqlite", "variables": {"x": [1]}}""", HttpStatusCode.BadRequest, "must be a string, a number")]
    [InlineData("""{"project_tree": {"a.sql": {"content": "select 1;"}}, "head_path": "a.sql", "engine": "sqlite", "webhook_url": "ftp://x"}""", HttpStatusCode.BadRequest, "webhook_url")]
    [InlineData("""{"project_tree": {"a.sql": {"content": "select 1;"}}, "head_path": "a.sql", "engine": "postgres"}""", HttpStatusCode.BadRequest, "[chains].postgres")]
    [InlineData("""{"project_tree": {"a.sql": {"content": "select 1;"}}}""", HttpStatusCode.BadRequest, "head_path")]
    public async Task Bad_requests_get_a_problem_naming_what_is_wrong(string json, HttpStatusCode status, string expected)
    {
        var client = _app.Client();
        var response = await client.PostAsync("/v1/jobs", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.ProblemAsync(status);
        Assert.Contains(expected, problem.ToJsonString());
    }

    [Fact]
    public async Task Unknown_jobs_are_404_on_every_route()
    {
        var client = _app.Client();
        await (await client.GetAsync("/v1/jobs/999")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/v1/jobs/999/logs")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/v1/jobs/999/run")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/v1/jobs/999/cancel")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/v1/jobs/999/append", new { project_tree = Tree(("a.sql", "select 1;")) })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_job_api_needs_basic_auth()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await _app.Anonymous().GetAsync("/v1/jobs")).StatusCode);
    }

    [Fact]
    public async Task A_failing_statement_fails_the_job_with_its_file_and_line()
    {
        var client = _app.Client();
        var id = (long)(await client.PostJsonAsync("/v1/jobs", new
        {
            project_tree = Tree(Shop[0], ("seed/01_items.sql", "insert into item values (1, 'a');\n\ninsert into missing values (1);"), Shop[2]),
            head_path = "test/01_by_id.sql", engine = "sqlite",
        }, HttpStatusCode.Accepted))["id"]!;
        var job = await WaitAsync(client, id);
        Assert.Equal("failed", (string)job["status"]!);
        Assert.Equal("seed/01_items.sql", (string)job["error"]!["path"]!);
        Assert.Equal(3, (int)job["error"]!["line"]!);
        Assert.Contains("missing", (string)job["error"]!["message"]!);
    }

    [Fact]
    public async Task Logs_page_with_after_and_stream_as_server_sent_events()
    {
        var client = _app.Client();
        var id = (long)(await client.PostJsonAsync("/v1/jobs", new { project_tree = Tree(Shop), head_path = "test/01_by_id.sql", variables = new { max = 2 }, engine = "sqlite" },
            HttpStatusCode.Accepted))["id"]!;
        await WaitAsync(client, id);
        var all = await client.GetJsonAsync($"/v1/jobs/{id}/logs");
        var entries = all["entries"]!.AsArray();
        Assert.True(entries.Count > 3);
        var page = await client.GetJsonAsync($"/v1/jobs/{id}/logs?after=2&limit=2");
        Assert.Equal([3L, 4L], page["entries"]!.AsArray().Select(e => (long)e!["seq"]!));
        Assert.Equal(4, (long)page["next_after"]!);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/jobs/{id}/logs?after=1");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("event: log", text);
        Assert.Contains("id: 2\n", text);
        Assert.DoesNotContain("id: 1\n", text);
        Assert.Contains("event: end", text);
    }

    [Fact]
    public async Task A_job_with_keep_instance_says_where_its_instance_is_and_until_when()
    {
        var client = _app.Client();
        var body = new { project_tree = Tree(Shop), head_path = "test/01_by_id.sql", variables = new { max = 2 }, engine = "sqlite", keep_instance = true, snapshot_ttl = 900 };
        var job = await WaitAsync(client, (long)(await client.PostJsonAsync("/v1/jobs", body, HttpStatusCode.Accepted))["id"]!);

        Assert.Equal("completed", (string)job["status"]!);
        var instance = job["instance"]!;
        Assert.True((bool)instance["requested"]!);
        Assert.True((bool)instance["kept"]!);
        Assert.Equal($"pkj_{(long)job["id"]!}", (string)instance["name"]!);
        Assert.Equal("sqlite", (string)instance["engine"]!);
        Assert.True(File.Exists((string)instance["connect"]!));
        Assert.Equal(((DateTimeOffset)job["finished_at"]!).AddSeconds(900), (DateTimeOffset)instance["kept_until"]!);
        Assert.Null(instance["dropped_at"]);
        Assert.False(string.IsNullOrEmpty((string?)job["node"]));

        var plain = await WaitAsync(client, (long)(await client.PostJsonAsync("/v1/jobs", body with { keep_instance = false }, HttpStatusCode.Accepted))["id"]!);
        Assert.False((bool)plain["instance"]!["requested"]!);
        Assert.False((bool)plain["instance"]!["kept"]!);
        Assert.Null(plain["instance"]!["connect"]);
    }

    [Fact]
    public async Task Cancel_stops_the_head_and_drops_the_instance()
    {
        var client = _app.Client();
        var id = (long)(await client.PostJsonAsync("/v1/jobs", new { project_tree = Tree(Shop[0], ("test/slow.sql", Slow)), head_path = "test/slow.sql", engine = "sqlite" },
            HttpStatusCode.Accepted))["id"]!;
        for (var i = 0; i < 400 && (string)(await client.GetJsonAsync($"/v1/jobs/{id}"))["status"]! != "running"; i++) await Task.Delay(25);
        var canceled = await client.PostJsonAsync($"/v1/jobs/{id}/cancel");
        Assert.Equal("canceled", (string)canceled["status"]!);
        Assert.Empty(Directory.GetFiles(Path.Combine(_app.Home, "layers", "sqlite", "work")));
        Assert.Single(Directory.GetFiles(Path.Combine(_app.Home, "layers", "sqlite"), "*.db"));
    }

    [Fact]
    public async Task A_timeout_fails_the_job_with_a_timeout_error()
    {
        var client = _app.Client();
        var id = (long)(await client.PostJsonAsync("/v1/jobs", new { project_tree = Tree(("test/slow.sql", Slow)), head_path = "test/slow.sql", engine = "sqlite", timeout_ms = 300 },
            HttpStatusCode.Accepted))["id"]!;
        var job = await WaitAsync(client, id);
        Assert.Equal("failed", (string)job["status"]!);
        Assert.Equal("57014", (string)job["error"]!["sqlstate"]!);
        Assert.Contains("timeout", (string)job["error"]!["message"]!);
    }

    [Fact]
    public async Task A_webhook_is_delivered_signed_to_a_local_listener()
    {
        var port = FreePort.Next();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/hook/");
        listener.Start();
        var received = Task.Run(async () =>
        {
            // The first delivery is answered 503, so the sender must retry.
            var first = await listener.GetContextAsync();
            first.Response.StatusCode = 503;
            first.Response.Close();
            var context = await listener.GetContextAsync();
            using var reader = new StreamReader(context.Request.InputStream);
            var body = await reader.ReadToEndAsync();
            var signature = context.Request.Headers["X-Pipekit-Signature"];
            context.Response.StatusCode = 204;
            context.Response.Close();
            return (body, signature);
        });

        var client = _app.Client();
        var id = (long)(await client.PostJsonAsync("/v1/jobs", new
        {
            project_tree = Tree(Shop), head_path = "test/01_by_id.sql", variables = new { max = 1 }, engine = "sqlite",
            webhook_url = $"http://127.0.0.1:{port}/hook/",
        }, HttpStatusCode.Accepted))["id"]!;
        var (payload, header) = await received.WaitAsync(TimeSpan.FromSeconds(30));

        var json = JsonNode.Parse(payload)!;
        Assert.Equal(id, (long)json["job_id"]!);
        Assert.Equal("completed", (string)json["status"]!);
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(PipekitApp.SecretValue), Encoding.UTF8.GetBytes(payload)));
        Assert.Equal(expected, header);
    }
}
