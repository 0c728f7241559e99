using System.Net;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public abstract class SystemApiFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Doctor_runs_the_checks_of_the_cli()
    {
        var doctor = await _app.Client().GetJsonAsync("/api/doctor");
        var checks = doctor["checks"]!.AsArray().Select(c => (string)c!["check"]!).ToList();
        Assert.Contains("state schema", checks);
        Assert.Contains("config", checks);
    }

    [Fact]
    public async Task Settings_can_be_set_read_and_listed_but_the_credentials_stay_hidden()
    {
        var client = _app.Client();
        var set = await client.PostJsonAsync("/api/settings/ui.theme", new { value = "dark" });
        Assert.Equal("dark", (string)set["value"]!);
        Assert.Equal("dark", (string)(await client.GetJsonAsync("/api/settings/ui.theme"))["value"]!);

        var all = await client.GetJsonAsync("/api/settings");
        var keys = all["items"]!.AsArray().Select(s => (string)s!["key"]!).ToList();
        Assert.Contains("ui.theme", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("auth.", StringComparison.Ordinal));

        await (await client.GetAsync("/api/settings/auth.password_hash")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.GetAsync("/api/settings/nope")).ProblemAsync(HttpStatusCode.NotFound);
        var refused = await (await client.PostAsync("/api/settings/auth.password_hash", new { value = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("set-password", (string)refused["errors"]!["key"]![0]!);
        await (await client.PostAsync("/api/settings/ui.x", new { })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Drivers_lists_the_built_in_kinds_with_their_browse_fields()
    {
        var drivers = await _app.Client().GetJsonAsync("/api/drivers");
        var kinds = drivers["items"]!.AsArray().Select(d => (string)d!["kind"]!).ToList();
        Assert.Contains("sqlite", kinds);
        Assert.Contains("postgres", kinds);
        Assert.Contains("duckdb", kinds);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_routes()
    {
        var doc = await _app.Client().GetJsonAsync("/openapi/v1.json");
        var paths = doc["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/api/modules/{id}/run", paths);
        Assert.Contains("/api/runs/{id}/stream", paths);
        Assert.Contains("/api/introspect/propose", paths);
    }

    [Theory]
    [InlineData("/api/modules/{id}/run", "post", "400,404,409")]
    [InlineData("/api/modules/{id}", "get", "404")]
    [InlineData("/api/connections", "post", "400,409")]
    [InlineData("/api/connections/{id}/delete", "post", "404,409")]
    [InlineData("/api/groups/{id}/cancel", "post", "404,409")]
    [InlineData("/api/introspect/columns", "post", "400,422")]
    [InlineData("/api/runs", "get", "400")]
    public async Task The_openapi_document_declares_the_problem_responses_a_route_can_produce(string path, string method, string statuses)
    {
        var doc = await _app.Client().GetJsonAsync("/openapi/v1.json");
        var responses = doc["paths"]![path]![method]!["responses"]!.AsObject();
        foreach (var status in statuses.Split(','))
        {
            var content = responses[status]?["content"]?.AsObject();
            Assert.True(content is not null, $"{method} {path} does not declare {status}");
            Assert.True(content!.ContainsKey("application/problem+json"), $"{method} {path} {status} is not problem+json");
        }
        // A route declares only what it can produce: a read by id is never a conflict.
        if (!statuses.Contains("409", StringComparison.Ordinal)) Assert.False(responses.ContainsKey("409"), $"{method} {path} declares 409");
    }

    [Fact]
    public async Task An_unknown_route_is_a_404_problem()
    {
        await (await _app.Client().GetAsync("/api/nothing-here")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Responses_carry_a_request_id()
    {
        var response = await _app.Client().GetAsync("/api/modules");
        Assert.True(response.Headers.Contains("X-Request-Id"));
    }

    public sealed class OnSqlite() : SystemApiFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : SystemApiFacts(TestStateStore.Postgres(postgres));
}
