using System.Net;
using System.Text.Json.Nodes;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Hostile;

/// <summary>
/// Writers racing each other through the API, on both state stores: creates with one name, partial updates of
/// different fields of one row, deletes racing saves that reference the deleted row. Whatever the interleaving, no
/// request answers 500, no answered change is lost, and nothing is left pointing at a row that is gone. Each fact runs a
/// bounded number of trials with a guard on the whole fact; none asserts on timing.
/// </summary>
public abstract class ConcurrentWriterFacts(TestStateStore store) : IDisposable
{
    private const int Writers = 6;
    private const int Trials = 5;
    private readonly PipekitApp _app = new(store: store);
    private readonly CancellationTokenSource _guard = new(TimeSpan.FromMinutes(3));

    public void Dispose()
    {
        _guard.Dispose();
        _app.Dispose();
    }

    [Fact]
    public async Task Concurrent_creates_of_one_module_name_give_one_201_and_409s_and_never_overwrite()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        for (var trial = 0; trial < Trials; trial++)
        {
            var name = $"race{trial}";
            var answers = await RaceAsync(Enumerable.Range(0, Writers).Select(i => (Func<Task<Answer>>)(() => SendAsync(client, "/api/modules", new
            {
                name, source_connection_id = source, dest_connection_id = dest, dest_table = $"out_{i}", source_query = "SELECT id FROM orders",
                merge_strategy = "full",
            }))));

            var winner = AssertOneCreated(answers);
            var stored = await client.GetJsonAsync($"/api/modules/{winner.Body!["id"]}");
            Assert.Equal((string)winner.Body["dest_table"]!, (string)stored["dest_table"]!);
        }
        var all = (await client.GetJsonAsync("/api/modules?limit=100"))["items"]!.AsArray();
        Assert.Equal(Trials, all.Count);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_group_name_give_one_201_and_409s()
    {
        var client = _app.Client();
        for (var trial = 0; trial < Trials; trial++)
        {
            var name = $"nightly{trial}";
            var answers = await RaceAsync(Enumerable.Range(0, Writers).Select(i =>
                (Func<Task<Answer>>)(() => SendAsync(client, "/api/groups", new { name, stop_on_failure = i % 2 == 0 }))));
            var winner = AssertOneCreated(answers);
            var stored = await client.GetJsonAsync($"/api/groups/{winner.Body!["id"]}");
            Assert.Equal((bool)winner.Body["stop_on_failure"]!, (bool)stored["stop_on_failure"]!);
        }
        Assert.Equal(Trials, (await client.GetJsonAsync("/api/groups"))["items"]!.AsArray().Count);
    }

    [Fact]
    public async Task Concurrent_creates_of_one_connection_name_give_one_201_and_409s()
    {
        var client = _app.Client();
        for (var trial = 0; trial < Trials; trial++)
        {
            var name = $"db{trial}";
            var answers = await RaceAsync(Enumerable.Range(0, Writers).Select(i =>
                (Func<Task<Answer>>)(() => SendAsync(client, "/api/connections", new { name, url = $"sqlite://{_app.File($"db{trial}_{i}.db")}" }))));
            var winner = AssertOneCreated(answers);
            var stored = await client.GetJsonAsync($"/api/connections/{winner.Body!["id"]}");
            Assert.Equal((string)winner.Body["url"]!, (string)stored["url"]!);
        }
    }

    [Fact]
    public async Task Concurrent_partial_updates_of_different_module_fields_all_land()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var id = await client.CreateOrdersModuleAsync(source, dest);
        for (var trial = 0; trial < Trials; trial++)
        {
            var answers = await RaceAsync(
                () => SendAsync(client, $"/api/modules/{id}", new { notes = $"notes {trial}" }),
                () => SendAsync(client, $"/api/modules/{id}", new { dest_table = $"copy_{trial}" }),
                () => SendAsync(client, $"/api/modules/{id}", new { project = $"project{trial}" }),
                () => SendAsync(client, $"/api/modules/{id}", new { enabled = trial % 2 == 0 }));
            Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, a.ToString()));

            var stored = await client.GetJsonAsync($"/api/modules/{id}");
            Assert.Equal(($"notes {trial}", $"copy_{trial}", $"project{trial}", trial % 2 == 0),
                ((string)stored["notes"]!, (string)stored["dest_table"]!, (string)stored["project"]!, (bool)stored["enabled"]!));
        }
    }

    [Fact]
    public async Task Concurrent_partial_updates_of_a_group_and_of_a_connection_all_land()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var group = (long)(await client.PostJsonAsync("/api/groups", new { name = "g" }, HttpStatusCode.Created))["id"]!;
        for (var trial = 0; trial < Trials; trial++)
        {
            var answers = await RaceAsync(
                () => SendAsync(client, $"/api/groups/{group}", new { name = $"g{trial}" }),
                () => SendAsync(client, $"/api/groups/{group}", new { stop_on_failure = trial % 2 == 0 }),
                () => SendAsync(client, $"/api/connections/{source}", new { notes = $"notes {trial}" }),
                () => SendAsync(client, $"/api/connections/{source}", new { default_dest_schema = $"schema{trial}" }),
                () => SendAsync(client, $"/api/connections/{source}", new { project = $"p{trial}" }));
            Assert.All(answers, a => Assert.True(a.Status == HttpStatusCode.OK, a.ToString()));

            var storedGroup = await client.GetJsonAsync($"/api/groups/{group}");
            Assert.Equal(($"g{trial}", trial % 2 == 0), ((string)storedGroup["name"]!, (bool)storedGroup["stop_on_failure"]!));
            var storedConnection = await client.GetJsonAsync($"/api/connections/{source}");
            Assert.Equal(($"notes {trial}", $"schema{trial}", $"p{trial}", (long?)dest),
                ((string)storedConnection["notes"]!, (string)storedConnection["default_dest_schema"]!, (string)storedConnection["project"]!,
                    (long?)storedConnection["default_dest_connection_id"]));
        }
    }

    [Fact]
    public async Task A_module_save_racing_a_connection_delete_never_500s_and_leaves_no_dangling_reference()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        for (var trial = 0; trial < Trials * 2; trial++)
        {
            var doomed = await client.CreateConnectionAsync($"doomed{trial}", $"sqlite://{_app.File($"doomed{trial}.db")}");
            var answers = await RaceAsync(
                () => SendAsync(client, "/api/modules", new
                {
                    name = $"m{trial}", source_connection_id = source, dest_connection_id = doomed, dest_table = "t", source_query = "SELECT id FROM orders",
                    merge_strategy = "full",
                }),
                () => SendAsync(client, $"/api/modules/{module}", new
                {
                    hooks = new[] { new { connection_id = doomed, sql = "SELECT 1" } },
                }),
                () => SendAsync(client, $"/api/connections/{doomed}/delete"));

            Assert.Contains(answers[0].Status, new[] { HttpStatusCode.Created, HttpStatusCode.BadRequest, HttpStatusCode.Conflict });
            Assert.Contains(answers[1].Status, new[] { HttpStatusCode.OK, HttpStatusCode.BadRequest, HttpStatusCode.Conflict });
            Assert.Contains(answers[2].Status, new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict });
            var deleted = answers[2].Status == HttpStatusCode.NoContent;
            // The delete won only if neither save references the connection; a save that lost names what was missing.
            Assert.Equal(deleted, answers[0].Status != HttpStatusCode.Created && answers[1].Status != HttpStatusCode.OK);
            if (deleted)
            {
                Assert.Contains($"connection {doomed} does not exist", answers[0].Text);
                Assert.Contains($"connection {doomed} does not exist", answers[1].Text);
            }
            await AssertNoDanglingReferencesAsync(client);
        }
    }

    [Fact]
    public async Task Group_members_racing_a_module_delete_and_schedules_racing_a_group_delete_never_500()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        for (var trial = 0; trial < Trials * 2; trial++)
        {
            var module = await client.CreateOrdersModuleAsync(source, dest, $"m{trial}", $"t{trial}");
            var group = (long)(await client.PostJsonAsync("/api/groups", new { name = $"g{trial}" }, HttpStatusCode.Created))["id"]!;
            var answers = await RaceAsync(
                () => SendAsync(client, "/api/group-members", new { group_id = group, module_id = module, run_order = 1 }),
                () => SendAsync(client, $"/api/modules/{module}/delete"),
                () => SendAsync(client, "/api/schedules", new { target_kind = "group", target_id = group, cron_expr = "0 2 * * *" }),
                () => SendAsync(client, $"/api/groups/{group}/delete"));

            Assert.Contains(answers[0].Status, new[] { HttpStatusCode.Created, HttpStatusCode.BadRequest });
            Assert.Equal(HttpStatusCode.NoContent, answers[1].Status);
            Assert.Contains(answers[2].Status, new[] { HttpStatusCode.Created, HttpStatusCode.BadRequest });
            Assert.Equal(HttpStatusCode.NoContent, answers[3].Status);
            await AssertNoDanglingReferencesAsync(client);
        }
    }

    // Every member names a module that exists, every group schedule a group that exists, every module its connections.
    private static async Task AssertNoDanglingReferencesAsync(HttpClient client)
    {
        var modules = (await client.GetJsonAsync("/api/modules?limit=500"))["items"]!.AsArray();
        var moduleIds = modules.Select(m => (long)m!["id"]!).ToHashSet();
        var connectionIds = (await client.GetJsonAsync("/api/connections"))["items"]!.AsArray().Select(c => (long)c!["id"]!).ToHashSet();
        foreach (var m in modules)
        {
            Assert.Contains((long)m!["source_connection_id"]!, connectionIds);
            Assert.Contains((long)m["dest_connection_id"]!, connectionIds);
            Assert.All(m["hooks"]!.AsArray(), h => Assert.Contains((long)h!["connection_id"]!, connectionIds));
        }
        var groups = (await client.GetJsonAsync("/api/groups"))["items"]!.AsArray();
        var groupIds = groups.Select(g => (long)g!["id"]!).ToHashSet();
        Assert.All(groups.SelectMany(g => g!["members"]!.AsArray()), member => Assert.Contains((long)member!["module_id"]!, moduleIds));
        Assert.All((await client.GetJsonAsync("/api/group-members"))["items"]!.AsArray(), member => Assert.Contains((long)member!["module_id"]!, moduleIds));
        var schedules = (await client.GetJsonAsync("/api/schedules"))["items"]!.AsArray();
        Assert.All(schedules.Where(s => (string)s!["target_kind"]! == "group"), s => Assert.Contains((long)s!["target_id"]!, groupIds));
    }

    private static Answer AssertOneCreated(IReadOnlyList<Answer> answers)
    {
        Assert.All(answers, a => Assert.True(a.Status is HttpStatusCode.Created or HttpStatusCode.Conflict, a.ToString()));
        var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.Status == HttpStatusCode.Conflict), a => Assert.Contains("already exists", a.Text));
        return winner;
    }

    private Task<Answer[]> RaceAsync(params Func<Task<Answer>>[] writers) => RaceAsync((IEnumerable<Func<Task<Answer>>>)writers);

    // All writers wait at one gate and go together, each on its own thread-pool task.
    private async Task<Answer[]> RaceAsync(IEnumerable<Func<Task<Answer>>> writers)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = writers.Select(w => Task.Run(async () =>
        {
            await gate.Task;
            return await w();
        })).ToArray();
        gate.SetResult();
        return await Task.WhenAll(tasks).WaitAsync(_guard.Token);
    }

    private async Task<Answer> SendAsync(HttpClient client, string path, object? body = null)
    {
        var response = await client.PostAsync(path, body).WaitAsync(_guard.Token);
        var text = await response.Content.ReadAsStringAsync(_guard.Token);
        var answer = new Answer(path, response.StatusCode, text, text.Length > 0 && text[0] == '{' ? JsonNode.Parse(text) : null);
        Assert.True((int)response.StatusCode < 500, $"a racing writer got a server error: {answer}");
        return answer;
    }

    private sealed record Answer(string Path, HttpStatusCode Status, string Text, JsonNode? Body)
    {
        public override string ToString() => $"POST {Path}: {(int)Status} {Text}";
    }

    public sealed class OnSqlite() : ConcurrentWriterFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : ConcurrentWriterFacts(TestStateStore.Postgres(postgres));
}
