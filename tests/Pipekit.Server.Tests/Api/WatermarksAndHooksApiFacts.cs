using System.Net;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public abstract class WatermarksAndHooksApiFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    private async Task<(HttpClient Client, long Source, long Module)> ModuleWithPlaceholderAsync()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var created = await client.PostJsonAsync("/api/modules", new
        {
            name = "inc", source_connection_id = source, dest_connection_id = dest, dest_table = "t", merge_strategy = "append",
            source_query = "SELECT id FROM orders WHERE id > {since}",
            watermarks = new[] { new { name = "since", connection_id = source, resolver_sql = "SELECT 0" } },
        }, HttpStatusCode.Created);
        return (client, source, (long)created["id"]!);
    }

    [Fact]
    public async Task Watermarks_can_be_listed_read_updated_and_keep_their_ids()
    {
        var (client, source, module) = await ModuleWithPlaceholderAsync();
        var list = await client.GetJsonAsync($"/api/watermarks?module_id={module}");
        var id = (long)list["items"]![0]!["id"]!;

        var updated = await client.PostJsonAsync($"/api/watermarks/{id}", new { resolver_sql = "SELECT 1", default_value = "0" });
        Assert.Equal(id, (long)updated["id"]!);
        Assert.Equal("SELECT 1", (string)(await client.GetJsonAsync($"/api/watermarks/{id}"))["resolver_sql"]!);

        // Saving the module with the watermark's id keeps the row.
        await client.PostJsonAsync($"/api/modules/{module}", new { notes = "x" });
        Assert.Equal(id, (long)(await client.GetJsonAsync($"/api/watermarks?module_id={module}"))["items"]![0]!["id"]!);
        Assert.Equal(source, (long)(await client.GetJsonAsync($"/api/watermarks/{id}"))["connection_id"]!);
    }

    [Fact]
    public async Task A_watermark_the_query_never_uses_is_refused_and_one_still_used_cannot_be_deleted()
    {
        var (client, source, module) = await ModuleWithPlaceholderAsync();
        var unused = await (await client.PostAsync("/api/watermarks", new { module_id = module, name = "other", connection_id = source, resolver_sql = "SELECT 1" }))
            .ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("never used", unused["detail"]!.ToString());

        var id = (long)(await client.GetJsonAsync($"/api/watermarks?module_id={module}"))["items"]![0]!["id"]!;
        await (await client.PostAsync($"/api/watermarks/{id}/delete")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/watermarks", new { name = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Watermark_create_and_delete_follow_the_query()
    {
        var (client, source, module) = await ModuleWithPlaceholderAsync();
        var wm = (long)(await client.GetJsonAsync($"/api/watermarks?module_id={module}"))["items"]![0]!["id"]!;
        // Change the query and watermarks together through the module, then add the second watermark on its own.
        await client.PostJsonAsync($"/api/modules/{module}", new
        {
            source_query = "SELECT id FROM orders WHERE id > {since} AND id < {until}",
            watermarks = new object[]
            {
                new { id = wm, name = "since", connection_id = source, resolver_sql = "SELECT 0" },
                new { name = "until", connection_id = source, resolver_sql = "SELECT 99" },
            },
        });
        var all = await client.GetJsonAsync("/api/watermarks");
        Assert.Equal(2, all["items"]!.AsArray().Count);
        Assert.Contains(all["items"]!.AsArray(), w => (long)w!["id"]! == wm);

        await client.PostJsonAsync($"/api/modules/{module}", new { source_query = "SELECT id FROM orders WHERE id > {since}", watermarks = new object[] { new { id = wm, name = "since", connection_id = source, resolver_sql = "SELECT 0" } } });
        var created = await client.PostJsonAsync($"/api/modules/{module}", new { source_query = "SELECT id FROM orders" , watermarks = Array.Empty<object>() });
        Assert.Empty(created["watermarks"]!.AsArray());
        await (await client.GetAsync($"/api/watermarks/{wm}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/watermarks/{wm}", new { name = "x" })).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/watermarks/{wm}/delete")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Hooks_can_be_created_read_updated_and_deleted()
    {
        var (client, source, module) = await ModuleWithPlaceholderAsync();
        var created = await client.PostJsonAsync("/api/hooks", new { module_id = module, connection_id = source, sql = "SELECT 1", run_on = "always" },
            HttpStatusCode.Created);
        var id = (long)created["id"]!;
        Assert.Equal("always", (string)created["run_on"]!);
        Assert.Single((await client.GetJsonAsync($"/api/hooks?module_id={module}"))["items"]!.AsArray());

        var updated = await client.PostJsonAsync($"/api/hooks/{id}", new { run_on = "failure", run_order = 2 });
        Assert.Equal("failure", (string)updated["run_on"]!);
        Assert.Equal(id, (long)updated["id"]!);
        await (await client.PostAsync($"/api/hooks/{id}", new { run_on = "sometimes" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await client.PostAsync("/api/hooks", new { module_id = module, connection_id = 999, sql = "SELECT 1" })).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/hooks/{id}/delete")).StatusCode);
        await (await client.GetAsync($"/api/hooks/{id}")).ProblemAsync(HttpStatusCode.NotFound);
        await (await client.PostAsync($"/api/hooks/{id}/delete")).ProblemAsync(HttpStatusCode.NotFound);
    }

    public sealed class OnSqlite() : WatermarksAndHooksApiFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : WatermarksAndHooksApiFacts(TestStateStore.Postgres(postgres));
}
