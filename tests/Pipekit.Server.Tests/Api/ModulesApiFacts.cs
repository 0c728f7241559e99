using System.Net;
using Pipekit.Sync.Locks;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public abstract class ModulesApiFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Create_get_list_update_and_delete_a_module()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var id = await client.CreateOrdersModuleAsync(source, dest);

        var module = await client.GetJsonAsync($"/api/modules/{id}");
        Assert.Equal("full", (string)module["merge_strategy"]!);
        Assert.Equal("customer", (string)module["columns"]![1]!["dest_name"]!);
        Assert.False((bool)module["running"]!);

        var updated = await client.PostJsonAsync($"/api/modules/{id}", new { notes = "nightly", enabled = false });
        Assert.Equal("nightly", (string)updated["notes"]!);
        Assert.Equal("orders", (string)updated["name"]!);
        Assert.Equal(3, updated["columns"]!.AsArray().Count);

        Assert.Single((await client.GetJsonAsync("/api/modules?enabled=false"))["items"]!.AsArray());
        Assert.Empty((await client.GetJsonAsync("/api/modules?enabled=true"))["items"]!.AsArray());

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/modules/{id}/delete")).StatusCode);
        await (await client.GetAsync($"/api/modules/{id}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_module_list_pages_by_cursor()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        for (var i = 0; i < 5; i++) await client.CreateOrdersModuleAsync(source, dest, $"m{i}", $"t{i}");

        var first = await client.GetJsonAsync("/api/modules?limit=2");
        Assert.Equal(2, first["items"]!.AsArray().Count);
        var seen = first["items"]!.AsArray().Select(m => (string)m!["name"]!).ToList();
        var cursor = (long?)first["next_cursor"];
        while (cursor is not null)
        {
            var page = await client.GetJsonAsync($"/api/modules?limit=2&cursor={cursor}");
            seen.AddRange(page["items"]!.AsArray().Select(m => (string)m!["name"]!));
            cursor = (long?)page["next_cursor"];
        }
        Assert.Equal(["m0", "m1", "m2", "m3", "m4"], seen);
        await (await client.GetAsync("/api/modules?limit=0")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Invalid_modules_are_400_with_a_message_per_field()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var missing = await (await client.PostAsync("/api/modules", new { merge_strategy = "upsert" })).ProblemAsync(HttpStatusCode.BadRequest);
        var errors = missing["errors"]!.AsObject().Select(e => e.Key).ToList();
        Assert.Contains("name", errors);
        Assert.Contains("source_query", errors);
        Assert.Contains("merge_strategy", errors);

        var placeholder = await (await client.PostAsync("/api/modules", new
        {
            name = "inc", source_connection_id = source, dest_connection_id = dest, dest_table = "t", merge_strategy = "incremental",
            merge_key = "id", source_query = "SELECT id FROM orders WHERE id > {last_id}",
        })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("{last_id}", (string)placeholder["errors"]!["source_query"]![0]!);
    }

    [Fact]
    public async Task A_taken_module_name_is_409()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        await client.CreateOrdersModuleAsync(source, dest);
        var again = await client.PostAsync("/api/modules", new
        {
            name = "orders", source_connection_id = source, dest_connection_id = dest, dest_table = "x", source_query = "SELECT 1 AS a",
        });
        await again.ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Unknown_module_ids_are_404_on_every_route()
    {
        var client = _app.Client();
        foreach (var path in new[] { "/api/modules/77", "/api/modules/77/preview", "/api/modules/77/columns", "/api/modules/77/runs" })
            await (await client.GetAsync(path)).ProblemAsync(HttpStatusCode.NotFound);
        foreach (var path in new[] { "/api/modules/77", "/api/modules/77/delete", "/api/modules/77/run", "/api/modules/77/cancel" })
            await (await client.PostAsync(path, new { })).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Preview_resolves_watermarks_live_and_moves_no_data()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var created = await client.PostJsonAsync("/api/modules", new
        {
            name = "inc", source_connection_id = source, dest_connection_id = dest, dest_table = "orders_inc", merge_strategy = "incremental",
            merge_key = "id", source_query = "SELECT id, customer FROM orders WHERE id > {last_id}",
            columns = new[] { new { source_name = "id", dest_name = "id", dest_type = "INTEGER" }, new { source_name = "customer", dest_name = "customer", dest_type = "TEXT" } },
            watermarks = new[] { new { name = "last_id", connection_id = source, resolver_sql = "SELECT max(id) - 1 FROM orders", default_value = "0" } },
        }, HttpStatusCode.Created);
        var id = (long)created["id"]!;

        var preview = await client.GetJsonAsync($"/api/modules/{id}/preview");
        Assert.Equal("SELECT id, customer FROM orders WHERE id > 2", (string)preview["resolved_source_sql"]!);
        Assert.Contains("DELETE FROM", (string)preview["merge_sql"]!);
        Assert.Equal("2", (string)preview["watermark_values"]!["last_id"]!);
        Assert.False((bool)preview["destination_exists"]!);
        Assert.Empty((await client.GetJsonAsync($"/api/modules/{id}/runs"))["items"]!.AsArray());
    }

    [Fact]
    public async Task Columns_parses_the_select_list_of_the_source_query()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var id = await client.CreateOrdersModuleAsync(source, dest, query: "SELECT id, RTRIM(customer) AS customer, amount * 2 doubled FROM orders");
        var columns = await client.GetJsonAsync($"/api/modules/{id}/columns");
        Assert.True((bool)columns["parsed"]!);
        Assert.Equal(["id", "customer", "doubled"], columns["columns"]!.AsArray().Select(c => (string)c!["name"]!));
        Assert.Equal("RTRIM(customer)", (string)columns["columns"]![1]!["expression"]!);
        Assert.Equal(3, columns["declared"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_module_that_is_locked_is_409_already_running_and_cannot_be_deleted()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var id = await client.CreateOrdersModuleAsync(source, dest);
        var other = new ProcessIdentity("elsewhere", 1, 1);
        Assert.True(await _app.Service<ModuleLocks>().TryAcquireAsync(id, other, CancellationToken.None));

        var run = await (await client.PostAsync($"/api/modules/{id}/run")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("already running", (string)run["detail"]!);
        var cancel = await (await client.PostAsync($"/api/modules/{id}/cancel")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("another process", (string)cancel["detail"]!);
        await (await client.PostAsync($"/api/modules/{id}/delete")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Cancelling_a_module_that_is_not_running_is_409()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var id = await client.CreateOrdersModuleAsync(source, dest);
        var problem = await (await client.PostAsync($"/api/modules/{id}/cancel")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("not running", (string)problem["detail"]!);
    }

    public sealed class OnSqlite() : ModulesApiFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : ModulesApiFacts(TestStateStore.Postgres(postgres));
}
