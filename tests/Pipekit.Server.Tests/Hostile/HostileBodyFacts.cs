using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>
/// Table-driven hostile bodies per route: unknown fields (top level and nested), wrong kinds, repeated fields, JSON
/// that is not JSON, invalid UTF-8, deep and huge bodies, and injection attempts in every identifier and type field.
/// Each must get a 4xx problem+json that says what is wrong in the client's words (never a .NET type name), and leave
/// everything the API can list exactly as it was.
/// </summary>
public sealed class HostileBodyFacts(HostileRequestApp fixture) : IClassFixture<HostileRequestApp>
{
    /// <summary>A hostile request: where it goes, what it sends, and a piece of text the refusal must contain.</summary>
    public sealed record Case(string Route, byte[] Body, string Expect, int Status = 400);

    /// <summary>Every route that takes a body, with a text field and a number field it has (for wrong-kind bodies).</summary>
    private static readonly (string Route, string TextField, string NumberField)[] BodyRoutes =
    [
        ("/api/connections", "name", "default_dest_connection_id"),
        ("/api/connections/{source}", "name", "default_dest_connection_id"),
        ("/api/modules", "name", "source_connection_id"),
        ("/api/modules/{module}", "dest_table", "dest_connection_id"),
        ("/api/watermarks", "name", "module_id"),
        ("/api/watermarks/{watermark}", "resolver_sql", "connection_id"),
        ("/api/hooks", "sql", "module_id"),
        ("/api/hooks/{hook}", "run_on", "run_order"),
        ("/api/groups", "name", "members"),
        ("/api/groups/{group}", "name", "members"),
        ("/api/group-members", "group_id", "module_id"),
        ("/api/group-members/{member}", "group_id", "run_order"),
        ("/api/schedules", "cron_expr", "group_id"),
        ("/api/schedules/{schedule}", "timezone", "target_id"),
        ("/api/settings/ui.theme", "value", "value"),
        ("/api/datasets", "name", "name"),
        ("/api/introspect/tables", "table_name", "connection_id"),
        ("/api/introspect/propose", "table_name", "dest_connection_id"),
        ("/api/modules/{module}/run", "dry_run", "dry_run"),
        ("/api/groups/{group}/run", "dry_run", "dry_run"),
        ("/api/pipelines/demo/run", "task", "task"),
        ("/v1/jobs", "head_path", "snapshot_ttl"),
    ];

    public static TheoryData<string> Cases() => new(AllCases().Keys);

    private static readonly Lazy<IReadOnlyDictionary<string, Case>> Table = new(BuildCases);

    private static IReadOnlyDictionary<string, Case> AllCases() => Table.Value;

    private static IReadOnlyDictionary<string, Case> BuildCases()
    {
        var cases = new Dictionary<string, Case>(StringComparer.Ordinal);
        void Add(string name, string route, string body, string expect, int status = 400) => cases[name] = new Case(route, Encoding.UTF8.GetBytes(body), expect, status);

        foreach (var (route, text, number) in BodyRoutes)
        {
            Add($"{route} unknown field", route, """{"zz_not_a_field": 1}""", "zz_not_a_field");
            Add($"{route} misspelled field", route, $$"""{"{{text}}x": "a"}""", $"did you mean '{text}'");
            Add($"{route} repeated field", route, $$"""{"{{text}}": "a", "{{text}}": "b"}""", "more than once");
            if (number != text && number != "members")
            {
                Add($"{route} number as text", route, $$"""{"{{number}}": "5"}""", "must be a number");
                Add($"{route} number too large", route, $$"""{"{{number}}": 1e400}""", number);
                Add($"{route} number as object", route, "{\"" + number + "\": {\"$gt\": 0}}", "must be a number");
            }
            if (text is not ("dry_run" or "members"))
                Add($"{route} text as list", route, $$"""{"{{text}}": ["a"]}""", "must be a");
            Add($"{route} list body", route, "[1, 2]", "must be a JSON object");
            Add($"{route} text body", route, "\"DROP TABLE module\"", "must be a JSON object");
            Add($"{route} truncated JSON", route, """{"name": """, "not valid JSON: line 1");
            Add($"{route} trailing garbage", route, """{"name": "a"} ; DROP TABLE module""", "not valid JSON");
            Add($"{route} comment", route, """{"name": "a" /* hi */}""", "not valid JSON");
            Add($"{route} deep nesting", route, new string('[', 5000) + new string(']', 5000), "nested more than 64 levels");
            Add($"{route} deep object", route, string.Concat(Enumerable.Repeat("{\"a\":", 200)) + "1" + new string('}', 200), "nested more than 64 levels");
            cases[$"{route} invalid UTF-8"] = new Case(route, [.. "{\"name\": \""u8, 0xFF, 0xFE, 0x80, .. "\"}"u8], "not valid UTF-8");
            cases[$"{route} huge body"] = new Case(route, Encoding.UTF8.GetBytes("{\"" + text + "\": \"" + new string('x', 1_100_000) + "\"}"), "1 MiB", 413);
        }

        // Fields inside lists and objects are checked too.
        Add("module hook with 'order'", "/api/modules/{module}", """{"hooks": [{"connection_id": {dest}, "sql": "SELECT 1", "order": 1}]}""", "did you mean 'run_order'");
        Add("module column with 'default'", "/api/modules/{module}", """{"columns": [{"source_name": "id", "dest_name": "id", "dest_type": "INTEGER", "nullable": false}]}""", "columns[0].nullable");
        Add("module watermark with 'default'", "/api/modules/{module}", """{"watermarks": [{"name": "w", "connection_id": {dest}, "resolver_sql": "SELECT 1", "default": "0"}]}""", "did you mean 'default_value'");
        Add("group member with 'order'", "/api/groups/{group}", """{"members": [{"module_id": {module}, "order": 1}]}""", "did you mean 'run_order'");
        Add("job file with 'text'", "/v1/jobs", """{"head_path": "a.sql", "project_tree": {"a.sql": {"text": "select 1"}}}""", "project_tree.a.sql.text");
        Add("module merge_stratgy", "/api/modules", """{"name": "m2", "source_connection_id": {source}, "dest_connection_id": {dest}, "dest_table": "t2", "source_query": "SELECT 1 AS id", "merge_stratgy": "incremental"}""", "did you mean 'merge_strategy'");
        Add("fields on a route without a body", "/api/modules/{module}/cancel", """{"force": true}""", "takes no fields");
        Add("fields on delete", "/api/modules/{module}/delete", """{"cascade": true}""", "takes no fields");

        // Names: a trailing newline, quotes, '..', SQL.
        foreach (var (label, name) in new[] { ("newline", "abc\\n"), ("quote", "a\\\"b"), ("dots", ".."), ("sql", "x'; DROP TABLE module; --"), ("path", "../../etc/passwd"), ("nul", "a\\u0000b"), ("empty", "") })
        {
            Add($"connection name {label}", "/api/connections", $$"""{"name": "{{name}}", "url": "sqlite::memory:"}""", "name");
            Add($"connection rename {label}", "/api/connections/{source}", $$"""{"name": "{{name}}"}""", "name");
            Add($"module name {label}", "/api/modules", $$"""{"name": "{{name}}", "source_connection_id": {source}, "dest_connection_id": {dest}, "dest_table": "t2", "source_query": "SELECT 1 AS id"}""", "name");
            Add($"module rename {label}", "/api/modules/{module}", $$"""{"name": "{{name}}"}""", "name");
            Add($"watermark name {label}", "/api/watermarks", $$"""{"module_id": {module}, "name": "{{name}}", "connection_id": {dest}, "resolver_sql": "SELECT 1"}""", "name");
            Add($"group name {label}", "/api/groups", $$"""{"name": "{{name}}"}""", "name");
            Add($"dataset name {label}", "/api/datasets", $$"""{"name": "{{name}}", "uri": "/tmp/none.parquet"}""", "name");
        }

        // Identifiers and types that would carry SQL into generated statements.
        foreach (var (label, table) in new[] { ("statement", "x; DROP TABLE y"), ("quote", "a\\\"b"), ("comment", "t -- x"), ("paren", "t) x"), ("newline", "t\\nx"), ("empty part", "a..b") })
            Add($"dest_table {label}", "/api/modules/{module}", $$"""{"dest_table": "{{table}}"}""", "dest_table");
        foreach (var (label, type) in new[]
        {
            ("statement", "BIGINT); CREATE TABLE x (z int"), ("comment", "int --"), ("semicolon", "int; DROP TABLE y"), ("quote", "text'"),
            ("default", "int DEFAULT 1"), ("constraint", "int PRIMARY KEY"), ("newline", "int\\nNOT NULL"), ("unclosed", "numeric(10"),
            ("argument", "varchar(a)"), ("collation", "text COLLATE \\\"C\\\""),
        })
            Add($"dest_type {label}", "/api/modules/{module}", $$"""{"columns": [{"source_name": "id", "dest_name": "id", "dest_type": "{{type}}"}]}""", "dest_type");
        foreach (var (label, column) in new[] { ("quote", "a\\\"b"), ("statement", "x; DROP TABLE y"), ("newline", "x\\n"), ("backtick", "a`b"), ("bracket", "a]b") })
            Add($"dest_name {label}", "/api/modules/{module}", $$"""{"columns": [{"source_name": "id", "dest_name": "{{column}}", "dest_type": "INTEGER"}]}""", "dest_name");
        Add("merge_key injection", "/api/modules", """{"name": "m3", "source_connection_id": {source}, "dest_connection_id": {dest}, "dest_table": "t3", "source_query": "SELECT 1 AS id", "merge_strategy": "incremental", "merge_key": "id) ; DROP TABLE y; --"}""", "merge_key");
        Add("merge_strategy injection", "/api/modules/{module}", """{"merge_strategy": "full; DROP TABLE y"}""", "merge_strategy");
        Add("run_on injection", "/api/hooks/{hook}", """{"run_on": "success; DROP TABLE y"}""", "run_on");

        // Connections.
        Add("url unclosed IPv6", "/api/connections", """{"name": "v6", "url": "postgres://[::1"}""", "unclosed '['");
        Add("url bad IPv6", "/api/connections", """{"name": "v6", "url": "postgres://[nothost]:5432/db"}""", "IPv6");
        Add("url bad port", "/api/connections", """{"name": "p", "url": "mysql://h:99999/db"}""", "port");
        Add("url newline in host", "/api/connections", """{"name": "p", "url": "postgres://h\nx/db"}""", "host");
        Add("driver injection", "/api/connections", """{"name": "d", "url": "sqlite::memory:", "driver": "sqlite; DROP TABLE y"}""", "driver");
        Add("dialect injection", "/api/connections", """{"name": "d", "url": "sqlite::memory:", "dialect": "db2i'--"}""", "dialect");
        Add("literal password", "/api/connections", """{"name": "d", "url": "sqlite::memory:", "password": "hunter2"}""", "password");
        Add("own default destination", "/api/connections/{source}", """{"default_dest_connection_id": {source}}""", "its own default destination");

        // Groups and schedules.
        Add("module twice in a group", "/api/groups/{group}", """{"members": [{"module_id": {module}}, {"module_id": {module}}]}""", "a module is a member once");
        Add("module added to its group again", "/api/group-members", """{"group_id": {group}, "module_id": {module}}""", "a module is a member once");
        Add("cron that never fires", "/api/schedules", """{"group_id": {group}, "cron_expr": "0 0 30 2 *"}""", "can never fire");
        Add("cron that never fires on update", "/api/schedules/{schedule}", """{"cron_expr": "0 0 31 4 *"}""", "can never fire");
        Add("cron injection", "/api/schedules", """{"group_id": {group}, "cron_expr": "* * * * *; rm -rf /"}""", "cron_expr");
        Add("timezone path", "/api/schedules", """{"group_id": {group}, "cron_expr": "0 2 * * *", "timezone": "../../../etc/passwd"}""", "timezone");
        Add("target kind injection", "/api/schedules", """{"target_kind": "group; DROP TABLE y", "target_id": {group}, "cron_expr": "0 2 * * *"}""", "target_kind");
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_hostile_body_is_refused_with_a_problem_and_changes_nothing(string name)
    {
        var hostile = AllCases()[name];
        var before = await fixture.StateVersionAsync();
        var body = Encoding.UTF8.GetString(hostile.Body).Contains('{') ? Encoding.UTF8.GetBytes(fixture.Fill(Encoding.UTF8.GetString(hostile.Body))) : hostile.Body;
        if (hostile.Body.Contains((byte)0xFF)) body = hostile.Body;
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await fixture.Client.PostAsync(fixture.Fill(hostile.Route), content);

        var problem = await ProblemAsync(response, hostile.Status);
        Assert.Contains(hostile.Expect, Text(problem), StringComparison.Ordinal);
        Assert.True(before == await fixture.StateVersionAsync(), "the refused request wrote to the state database");
    }

    [Fact]
    public async Task The_state_watch_sees_an_accepted_write()
    {
        // The guard of every case above: were it blind, "changes nothing" would assert nothing.
        var before = await fixture.StateVersionAsync();
        await fixture.Client.PostJsonAsync(fixture.Fill("/api/modules/{module}"), new { notes = "seen" });
        Assert.NotEqual(before, await fixture.StateVersionAsync());
    }

    [Fact]
    public async Task Every_unknown_field_is_named_at_once()
    {
        using var response = await fixture.Client.PostAsync(fixture.Fill("/api/modules/{module}"),
            new { merge_stratgy = "incremental", hooks = new[] { new { connection_id = fixture.Ids["{dest}"], sql = "SELECT 1", order = 1 } } });
        var problem = await ProblemAsync(response, 400);
        Assert.Equal(["hooks[0].order", "merge_stratgy"], problem["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));
        Assert.Contains("did you mean 'merge_strategy'?", (string)problem["errors"]!["merge_stratgy"]![0]!, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/modules/1%20")]
    [InlineData("/api/modules/%201")]
    [InlineData("/api/modules/+1")]
    [InlineData("/api/modules/01x")]
    [InlineData("/api/modules/1.0")]
    [InlineData("/api/modules/99999999999999999999")]
    [InlineData("/api/connections/1%0A")]
    [InlineData("/api/runs/-1")]
    public async Task A_route_id_is_digits_only(string route)
    {
        using var response = await fixture.Client.GetAsync(route);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var update = await fixture.Client.PostAsync(route, new { notes = "changed" });
        Assert.True((int)update.StatusCode is >= 400 and < 500, $"POST {route} gave {(int)update.StatusCode}");
        Assert.DoesNotContain("changed", await fixture.SnapshotAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/modules?limit=abc", "limit")]
    [InlineData("/api/modules?source_connection_id=x", "source_connection_id")]
    [InlineData("/api/modules?enabled=maybe", "enabled")]
    public async Task A_bad_query_value_is_named_in_the_clients_words(string route, string field)
    {
        using var response = await fixture.Client.GetAsync(route);
        var problem = await ProblemAsync(response, 400);
        Assert.NotNull(problem["errors"]![field]);
    }

    /// <summary>The problem as text with its strings unescaped, to look for the words a client reads.</summary>
    internal static string Text(JsonNode problem) =>
        problem.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    /// <summary>Asserts a problem+json with this status whose text names no .NET type, and returns it.</summary>
    internal static async Task<JsonNode> ProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var leak in new[] { "Pipekit.", "System.", "Nullable", "Int64", "Int32", "Boolean", "IReadOnlyList", "Microsoft." })
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        return JsonNode.Parse(text)!;
    }
}
