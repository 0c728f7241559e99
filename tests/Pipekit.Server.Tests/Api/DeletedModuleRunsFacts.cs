using System.Net;
using Dapper;
using Pipekit.Core.State;
using Pipekit.Server.Tests.Process;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

/// <summary>
/// Deleting a module keeps its run history (issue 9, item 11): the API, the run pages and <c>pipekit runs</c> show the runs
/// under the module's name, marked deleted, and a run id is never handed out twice.
/// </summary>
public abstract class DeletedModuleRunsFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task The_runs_of_a_deleted_module_stay_under_its_name_marked_deleted_in_api_pages_and_cli()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        Assert.Equal("success", (string)(await client.WaitForRunAsync(runId))["status"]!);

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/modules/{module}/delete")).StatusCode);

        var run = await client.GetJsonAsync($"/api/runs/{runId}");
        Assert.Equal(("orders", true, null, "success"), ((string)run["module_name"]!, (bool)run["module_deleted"]!, (long?)run["module_id"], (string)run["status"]!));
        var listed = Assert.Single((await client.GetJsonAsync("/api/runs"))["items"]!.AsArray());
        Assert.Equal((runId, "orders", true), ((long)listed!["id"]!, (string)listed["module_name"]!, (bool)listed["module_deleted"]!));
        Assert.Contains("orders (deleted)", await client.GetStringAsync($"/runs/{runId}"));
        Assert.Contains("orders (deleted)", await client.GetStringAsync("/runs"));
        if (store.Kind == StoreKind.Sqlite)
        {
            var (exit, output, error) = await ServeProcess.RunAsync(_app.Home, null, "runs", "list");
            Assert.True(exit == 0, error);
            Assert.Contains("orders (deleted)", output);
            (exit, output, error) = await ServeProcess.RunAsync(_app.Home, null, "runs", "show", runId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Assert.True(exit == 0, error);
            Assert.Contains($"run {runId}: module orders (deleted), success", output);
        }

        // A module of the same name made later is a different module: its runs are its own, under new ids.
        var again = await client.CreateOrdersModuleAsync(source, dest);
        var next = (long)(await client.PostJsonAsync($"/api/modules/{again}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        Assert.True(next > runId);
        Assert.Equal((long)again, (long)(await client.WaitForRunAsync(next))["module_id"]!);
        Assert.Single((await client.GetJsonAsync($"/api/modules/{again}/runs"))["items"]!.AsArray());
    }

    [Fact]
    public async Task A_run_id_is_never_handed_out_again_even_when_the_newest_run_row_is_gone()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        var first = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        await client.WaitForRunAsync(first);
        await using (var c = await _app.Service<StateStore>().OpenAsync(CancellationToken.None))
            await c.ExecuteAsync("DELETE FROM run_log WHERE id = @first", new { first });

        var second = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;

        Assert.True(second > first, $"run id {first} was handed out again");
        await client.WaitForRunAsync(second);
    }

    public sealed class OnSqlite() : DeletedModuleRunsFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : DeletedModuleRunsFacts(TestStateStore.Postgres(postgres));
}
