using System.Net;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public abstract class ConnectionsApiFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Create_list_get_update_test_and_delete_a_connection()
    {
        var client = _app.Client();
        var created = await client.PostJsonAsync("/api/connections", new { name = "warehouse", url = $"sqlite://{_app.DestPath}", notes = "n" },
            HttpStatusCode.Created);
        var id = (long)created["id"]!;
        Assert.Equal("sqlite", (string)created["driver"]!);
        Assert.EndsWith("Z", (string)created["created_at"]!);

        var list = await client.GetJsonAsync("/api/connections?driver=sqlite");
        Assert.Single(list["items"]!.AsArray());
        Assert.Null(list["next_cursor"]);

        var updated = await client.PostJsonAsync($"/api/connections/{id}", new { notes = "" });
        Assert.Null(updated["notes"]);
        Assert.Equal("warehouse", (string)updated["name"]!);

        var test = await client.PostJsonAsync($"/api/connections/{id}/test");
        Assert.True((bool)test["ok"]!);

        var deleted = await client.PostAsync($"/api/connections/{id}/delete");
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await client.GetAsync($"/api/connections/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_literal_password_is_a_400_naming_the_field()
    {
        var response = await _app.Client().PostAsync("/api/connections", new { name = "pg", url = "postgres://u:pw@localhost/db" });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("must not contain a password", (string)problem["errors"]!["url"]![0]!);
    }

    [Fact]
    public async Task A_body_that_is_not_valid_json_for_the_request_is_a_400_naming_the_field()
    {
        var response = await _app.Client().PostAsync("/api/connections", new { name = "x", url = "sqlite::memory:", default_dest_connection_id = "seven" });
        var problem = await response.ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]!["default_dest_connection_id"]);
    }

    [Fact]
    public async Task A_taken_name_is_a_409()
    {
        var client = _app.Client();
        await client.CreateConnectionAsync("same", "sqlite::memory:");
        var response = await client.PostAsync("/api/connections", new { name = "same", url = "sqlite::memory:" });
        await response.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Unknown_ids_are_404_problems()
    {
        var client = _app.Client();
        await (await client.GetAsync("/api/connections/999")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/api/connections/999", new { notes = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/api/connections/999/delete")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync("/api/connections/999/test")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_connection_still_used_by_a_module_cannot_be_deleted()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        await client.CreateOrdersModuleAsync(source, dest);
        await (await client.PostAsync($"/api/connections/{dest}/delete")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_secret_in_a_connection_test_error_is_redacted_in_the_response()
    {
        var client = _app.Client();
        // DuckDB names the file it cannot open, so the secret reaches the error text; the response must not carry it.
        var path = $"/nonexistent/{PipekitApp.SecretValue}/db.duckdb";
        var id = await client.CreateConnectionAsync("leaky", $"duckdb://{path}?access_mode=read_only");
        var response = await client.PostAsync($"/api/connections/{id}/test");
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"ok\":false", body);
        Assert.Contains("***", body);
        Assert.DoesNotContain(PipekitApp.SecretValue, body);

        var listed = await (await client.GetAsync("/api/connections")).Content.ReadAsStringAsync();
        Assert.DoesNotContain(PipekitApp.SecretValue, listed);
    }

    public sealed class OnSqlite() : ConnectionsApiFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : ConnectionsApiFacts(TestStateStore.Postgres(postgres));
}
