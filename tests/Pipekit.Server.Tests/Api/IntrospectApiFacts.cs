using System.Net;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public sealed class IntrospectApiFacts : IDisposable
{
    private readonly PipekitApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Tables_and_columns_of_a_source_connection()
    {
        var client = _app.Client();
        var (source, _) = await client.CreateSqliteConnectionsAsync(_app);
        var tables = await client.PostJsonAsync("/api/introspect/tables", new { connection_id = source, qualifiers = new { } });
        Assert.Contains(tables["items"]!.AsArray(), t => (string)t!["name"]! == "orders");
        var columns = await client.PostJsonAsync("/api/introspect/columns", new { connection_id = source, table_name = "orders" });
        Assert.Equal(["id", "customer", "amount", "placed_on"], columns["items"]!.AsArray().Select(c => (string)c!["name"]!));
    }

    [Fact]
    public async Task A_proposal_posted_as_it_is_makes_a_module_that_runs()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var proposal = await client.PostJsonAsync("/api/introspect/propose", new { connection_id = source, table_name = "orders" });
        Assert.Equal("orders", (string)proposal["name"]!);
        Assert.Equal("orders", (string)proposal["dest_table"]!);
        Assert.Equal(dest, (long)proposal["dest_connection_id"]!);
        Assert.Equal("full", (string)proposal["merge_strategy"]!);
        Assert.Contains("RTRIM(\"customer\") AS \"customer\"", (string)proposal["source_query"]!);
        Assert.Equal(4, proposal["columns"]!.AsArray().Count);

        var created = await client.PostJsonAsync("/api/modules", proposal, HttpStatusCode.Created);
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{(long)created["id"]!}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        var run = await client.WaitForRunAsync(runId);
        Assert.Equal("success", (string)run["status"]!);
        Assert.Equal(3, (long)run["row_count"]!);

        // A second proposal for the same table gets a free name.
        var second = await client.PostJsonAsync("/api/introspect/propose", new { connection_id = source, table_name = "orders" });
        Assert.Equal("orders_2", (string)second["name"]!);
    }

    [Fact]
    public async Task Bad_introspection_requests_are_400_naming_the_field()
    {
        var client = _app.Client();
        var (source, _) = await client.CreateSqliteConnectionsAsync(_app);
        var noConnection = await (await client.PostAsync("/api/introspect/tables", new { })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(noConnection["errors"]!["connection_id"]);
        var unknown = await (await client.PostAsync("/api/introspect/columns", new { connection_id = 999, table_name = "x" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(unknown["errors"]!["connection_id"]);
        var noTable = await (await client.PostAsync("/api/introspect/propose", new { connection_id = source, table_name = "nope" })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("was not found", (string)noTable["errors"]!["table_name"]![0]!);
        JsonNode? _ = noTable;
    }
}
