using System.Net;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public abstract class GroupsApiFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task Groups_and_members_can_be_created_read_updated_and_deleted_with_stable_member_ids()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var a = await client.CreateOrdersModuleAsync(source, dest, "a", "ta");
        var b = await client.CreateOrdersModuleAsync(source, dest, "b", "tb");

        var group = await client.PostJsonAsync("/api/groups", new { name = "nightly", members = new[] { new { module_id = a, run_order = 1 } } },
            HttpStatusCode.Created);
        var groupId = (long)group["id"]!;
        var firstMember = (long)group["members"]![0]!["id"]!;

        var member = await client.PostJsonAsync("/api/group-members", new { group_id = groupId, module_id = b, run_order = 2 }, HttpStatusCode.Created);
        var memberId = (long)member["id"]!;
        Assert.Equal("b", (string)member["module_name"]!);
        Assert.Equal(2, (await client.GetJsonAsync($"/api/group-members?group_id={groupId}"))["items"]!.AsArray().Count);
        Assert.Single((await client.GetJsonAsync($"/api/group-members?module_id={b}"))["items"]!.AsArray());

        var moved = await client.PostJsonAsync($"/api/group-members/{memberId}", new { run_order = 0 });
        Assert.Equal(0, (int)moved["run_order"]!);
        Assert.Equal(memberId, (long)(await client.GetJsonAsync($"/api/group-members/{memberId}"))["id"]!);

        var renamed = await client.PostJsonAsync($"/api/groups/{groupId}", new { name = "nightly2", stop_on_failure = true });
        Assert.True((bool)renamed["stop_on_failure"]!);
        Assert.Contains(renamed["members"]!.AsArray(), m => (long)m!["id"]! == firstMember);
        Assert.Single((await client.GetJsonAsync("/api/groups?name=nightly2"))["items"]!.AsArray());

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/group-members/{memberId}/delete")).StatusCode);
        await (await client.GetAsync($"/api/group-members/{memberId}")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/groups/{groupId}/delete")).StatusCode);
        await (await client.GetAsync($"/api/groups/{groupId}")).ProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Group_errors_are_problems()
    {
        var client = _app.Client();
        await client.PostJsonAsync("/api/groups", new { name = "g" }, HttpStatusCode.Created);
        await (await client.PostAsync("/api/groups", new { name = "g" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await client.PostAsync("/api/groups", new { stop_on_failure = true })).ProblemAsync(HttpStatusCode.BadRequest);
        var missing = await (await client.PostAsync("/api/groups", new { name = "h", members = new[] { new { module_id = 404 } } })).ProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("module 404 does not exist", (string)missing["errors"]!["module_id"]![0]!);
        await (await client.PostAsync("/api/group-members", new { group_id = 999, module_id = 1 })).ProblemAsync(HttpStatusCode.BadRequest);
        foreach (var path in new[] { "/api/groups/999", "/api/group-members/999", "/api/group-runs/999" })
            await (await client.GetAsync(path)).ProblemAsync(HttpStatusCode.NotFound);
        foreach (var path in new[] { "/api/groups/999", "/api/groups/999/delete", "/api/groups/999/run", "/api/groups/999/cancel", "/api/group-members/999/delete" })
            await (await client.PostAsync(path, new { })).ProblemAsync(HttpStatusCode.NotFound);
        var notRunning = (long)(await client.GetJsonAsync("/api/groups"))["items"]![0]!["id"]!;
        await (await client.PostAsync($"/api/groups/{notRunning}/cancel")).ProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_group_run_returns_its_id_at_once_and_shows_its_module_runs()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var a = await client.CreateOrdersModuleAsync(source, dest, "a", "ta");
        var b = await client.CreateOrdersModuleAsync(source, dest, "b", "tb");
        var groupId = (long)(await client.PostJsonAsync("/api/groups", new { name = "g", members = new[] { new { module_id = a }, new { module_id = b } } },
            HttpStatusCode.Created))["id"]!;

        var started = await client.PostJsonAsync($"/api/groups/{groupId}/run", null, HttpStatusCode.Accepted);
        var groupRun = await client.WaitForGroupRunAsync((long)started["group_run_id"]!);
        Assert.Equal("success", (string)groupRun["status"]!);
        Assert.Equal("api", (string)groupRun["triggered_by"]!);
        Assert.Equal(["a", "b"], groupRun["runs"]!.AsArray().Select(r => (string)r!["module_name"]!));
        Assert.All(groupRun["runs"]!.AsArray(), r => Assert.Equal("success", (string)r!["status"]!));

        var list = await client.GetJsonAsync($"/api/group-runs?group_id={groupId}");
        Assert.Single(list["items"]!.AsArray());
    }

    [Fact]
    public async Task Re_running_failed_members_runs_only_the_members_that_erred_in_order_as_one_new_group_run()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var a = await client.CreateOrdersModuleAsync(source, dest, "a", "ta");
        var late = await client.CreateOrdersModuleAsync(source, dest, "late", "tlate", "SELECT id, customer, amount FROM orders_late");
        var b = await client.CreateOrdersModuleAsync(source, dest, "b", "tb", "SELECT id, customer, amount FROM orders_missing");
        var groupId = (long)(await client.PostJsonAsync("/api/groups",
            new { name = "g", members = new[] { new { module_id = late }, new { module_id = a }, new { module_id = b } } }, HttpStatusCode.Created))["id"]!;
        var first = await client.WaitForGroupRunAsync((long)(await client.PostJsonAsync($"/api/groups/{groupId}/run", null, HttpStatusCode.Accepted))["group_run_id"]!);
        Assert.Equal("error", (string)first["status"]!);
        var firstId = (long)first["id"]!;
        Assert.Equal(["error", "success", "error"], first["runs"]!.AsArray().Select(r => (string)r!["status"]!));

        // The missing table appears; the re-run runs late and b only, in the group's order, and late now succeeds.
        using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_app.SourcePath};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            cmd.CommandText = "CREATE TABLE orders_late AS SELECT id, customer, amount FROM orders";
            cmd.ExecuteNonQuery();
        }
        var started = await client.PostJsonAsync($"/api/group-runs/{firstId}/rerun-failed", null, HttpStatusCode.Accepted);
        var rerun = await client.WaitForGroupRunAsync((long)started["group_run_id"]!);
        Assert.NotEqual(firstId, (long)rerun["id"]!);
        Assert.Equal(groupId, (long)rerun["group_id"]!);
        Assert.Equal($"rerun:{firstId}", (string)rerun["triggered_by"]!);
        Assert.Equal(["late", "b"], rerun["runs"]!.AsArray().Select(r => (string)r!["module_name"]!));
        Assert.Equal(["success", "error"], rerun["runs"]!.AsArray().Select(r => (string)r!["status"]!));
        Assert.Equal("error", (string)rerun["status"]!);

        // A re-run of the re-run takes only b; a group run with no failures, or none at all, is refused and starts nothing.
        var again = await client.WaitForGroupRunAsync((long)(await client.PostJsonAsync($"/api/group-runs/{rerun["id"]}/rerun-failed", null, HttpStatusCode.Accepted))["group_run_id"]!);
        Assert.Equal(["b"], again["runs"]!.AsArray().Select(r => (string)r!["module_name"]!));
        await client.PostJsonAsync($"/api/groups/{groupId}", new { members = new[] { new { module_id = a } } });
        var clean = await client.WaitForGroupRunAsync((long)(await client.PostJsonAsync($"/api/groups/{groupId}/run", null, HttpStatusCode.Accepted))["group_run_id"]!);
        var before = (await client.GetJsonAsync($"/api/group-runs?group_id={groupId}"))["items"]!.AsArray().Count;
        var none = await (await client.PostAsync($"/api/group-runs/{clean["id"]}/rerun-failed")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("no failed members", (string)none["detail"]!);
        await (await client.PostAsync("/api/group-runs/999/rerun-failed")).ProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(before, (await client.GetJsonAsync($"/api/group-runs?group_id={groupId}"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task A_running_group_is_409_and_cancelling_it_ends_it_cancelled()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var slow = await client.CreateSlowModuleAsync(source, dest, "slow");
        var groupId = (long)(await client.PostJsonAsync("/api/groups", new { name = "g", members = new[] { new { module_id = slow } } },
            HttpStatusCode.Created))["id"]!;
        var groupRunId = (long)(await client.PostJsonAsync($"/api/groups/{groupId}/run", null, HttpStatusCode.Accepted))["group_run_id"]!;
        await (await client.PostAsync($"/api/groups/{groupId}/run")).ProblemAsync(HttpStatusCode.Conflict);
        var notEnded = await (await client.PostAsync($"/api/group-runs/{groupRunId}/rerun-failed")).ProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("has not ended", (string)notEnded["detail"]!);

        var cancelled = await client.PostJsonAsync($"/api/groups/{groupId}/cancel", null, HttpStatusCode.Accepted);
        Assert.Equal(groupRunId, (long)cancelled["group_run_id"]!);
        Assert.Equal("cancelled", (string)(await client.WaitForGroupRunAsync(groupRunId))["status"]!);
        Assert.False((bool)(await client.GetJsonAsync($"/api/modules/{slow}"))["running"]!);
    }

    public sealed class OnSqlite() : GroupsApiFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : GroupsApiFacts(TestStateStore.Postgres(postgres));
}
