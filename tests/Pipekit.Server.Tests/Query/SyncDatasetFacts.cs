using System.Net;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Query;

/// <summary>
/// A dataset a Sync run registers says it comes from sync and which module owns it (on both state stores, so migration
/// 0002 is exercised on each), and removing it names the module unless forced.
/// </summary>
public abstract class SyncDatasetFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_dataset_a_sync_run_registers_names_its_module_and_refuses_removal_without_force()
    {
        var client = _app.Client();
        var lake = _app.File("lake");
        Directory.CreateDirectory(lake);
        var dest = await client.CreateConnectionAsync("lake", $"parquet://{lake}");
        var source = await client.CreateConnectionAsync("source", $"sqlite://{_app.SourcePath}");
        var module = await client.CreateOrdersModuleAsync(source, dest, "lake_orders", "lake_orders");
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        Assert.Equal("success", (string)(await client.WaitForRunAsync(runId))["status"]!);

        var dataset = await client.GetJsonAsync("/api/datasets/lake_orders");
        Assert.Equal(("sync", "lake_orders"), ((string)dataset["source"]!, (string)dataset["module"]!));

        var refused = await (await client.PostAsync("/api/datasets/lake_orders/delete")).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("belongs to sync module 'lake_orders'", refused.ToJsonString(new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }), StringComparison.Ordinal);
        Assert.Equal("sync", (string)(await client.GetJsonAsync("/api/datasets/lake_orders"))["source"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/api/datasets/lake_orders/delete?force=true")).StatusCode);
        var after = await client.GetAsync("/api/datasets/lake_orders");
        Assert.Equal(HttpStatusCode.NotFound, after.StatusCode);
    }

    [Fact]
    public async Task A_dataset_added_by_hand_is_shown_as_such()
    {
        var client = _app.Client();
        var lake = _app.File("lake");
        Directory.CreateDirectory(lake);
        await File.WriteAllTextAsync(Path.Combine(lake, "t.csv"), "a\n1\n");

        await client.PostJsonAsync("/api/datasets", new { name = "t", uri = Path.Combine(lake, "t.csv") }, HttpStatusCode.Created);

        var dataset = await client.GetJsonAsync("/api/datasets/t");
        Assert.Equal("api", (string)dataset["source"]!);
        Assert.Null(dataset["module"]);
    }

    public sealed class OnSqlite() : SyncDatasetFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : SyncDatasetFacts(TestStateStore.Postgres(postgres));
}
