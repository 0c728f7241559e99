using System.Net;
using System.Text.Json.Nodes;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Server.Tests.Api;

public abstract class RunStreamFacts(TestStateStore store) : IDisposable
{
    private readonly PipekitApp _app = new(store: store);

    public void Dispose() => _app.Dispose();

    private sealed record Event(string? Id, string Type, string Data);

    private static async Task<List<Event>> ReadToEndAsync(HttpClient client, string path, string? lastEventId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null) request.Headers.Add("Last-Event-ID", lastEventId);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, guard.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(guard.Token));
        var events = new List<Event>();
        string? id = null, type = null;
        var data = new List<string>();
        while (await reader.ReadLineAsync(guard.Token) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Count > 0) events.Add(new Event(id, type ?? "message", string.Join("\n", data)));
                id = type = null;
                data.Clear();
                continue;
            }
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line[4..];
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) type = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal)) data.Add(line[6..]);
        }
        return events;
    }

    [Fact]
    public async Task The_stream_of_a_real_run_delivers_its_live_log_and_status_changes_and_ends_with_the_final_status()
    {
        var client = _app.Client();
        var (source, dest) = await client.CreateSqliteConnectionsAsync(_app);
        var module = await client.CreateOrdersModuleAsync(source, dest);
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;

        var events = await ReadToEndAsync(client, $"/api/runs/{runId}/stream");

        var logs = events.Where(e => e.Type == "log").ToList();
        Assert.Contains(logs, e => e.Data.Contains("merge committed", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, logs.Count).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture)), logs.Select(e => e.Id));
        Assert.Equal("status", events[0].Type);
        var end = events[^1];
        Assert.Equal("end", end.Type);
        Assert.Equal("success", (string)JsonNode.Parse(end.Data)!["status"]!);
        Assert.Equal(3, (long)JsonNode.Parse(end.Data)!["row_count"]!);

        // Reconnecting with Last-Event-ID resumes after that line.
        var resumed = await ReadToEndAsync(client, $"/api/runs/{runId}/stream", lastEventId: "2");
        var resumedLogs = resumed.Where(e => e.Type == "log").ToList();
        Assert.Equal(logs.Skip(2).Select(e => e.Data), resumedLogs.Select(e => e.Data));
        Assert.Equal("end", resumed[^1].Type);
        Assert.Equal("status", resumed[0].Type);
    }

    [Fact]
    public async Task Streaming_an_unknown_run_is_404()
    {
        await (await _app.Client().GetAsync("/api/runs/9999/stream")).ProblemAsync(HttpStatusCode.NotFound);
    }

    public sealed class OnSqlite() : RunStreamFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : RunStreamFacts(TestStateStore.Postgres(postgres));
}
