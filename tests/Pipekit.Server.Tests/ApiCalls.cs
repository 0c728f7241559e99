using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace Pipekit.Server.Tests;

/// <summary>Small helpers for talking JSON to the API the way a client would: snake_case bodies with <c>Content-Type: application/json</c>.</summary>
internal static class ApiCalls
{
    public static async Task<HttpResponseMessage> PostAsync(this HttpClient client, string path, object? body = null) =>
        await client.PostAsync(path, new StringContent(body is null ? "" : JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));

    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.GetAsync(path)).JsonAsync(expected);

    public static async Task<JsonNode> PostJsonAsync(this HttpClient client, string path, object? body = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        await (await client.PostAsync(path, body)).JsonAsync(expected);

    /// <summary>Asserts a problem+json response with this status and returns it.</summary>
    public static async Task<JsonNode> ProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    public static async Task<long> CreateConnectionAsync(this HttpClient client, string name, string url, object? extra = null)
    {
        var body = new Dictionary<string, object?> { ["name"] = name, ["url"] = url };
        if (extra is not null)
            foreach (var p in extra.GetType().GetProperties()) body[p.Name] = p.GetValue(extra);
        return (long)(await client.PostJsonAsync("/api/connections", body, HttpStatusCode.Created))["id"]!;
    }

    /// <summary>Source and destination SQLite connections; the source defaults to the destination for proposals.</summary>
    public static async Task<(long Source, long Dest)> CreateSqliteConnectionsAsync(this HttpClient client, PipekitApp app)
    {
        var dest = await client.CreateConnectionAsync("dest", $"sqlite://{app.DestPath}");
        var source = await client.CreateConnectionAsync("source", $"sqlite://{app.SourcePath}", new { default_dest_connection_id = dest });
        return (source, dest);
    }

    /// <summary>A full-strategy module copying orders from the source into <paramref name="destTable"/>.</summary>
    public static async Task<long> CreateOrdersModuleAsync(this HttpClient client, long source, long dest, string name = "orders",
        string destTable = "orders_copy", string? query = null)
    {
        var created = await client.PostJsonAsync("/api/modules", new
        {
            name,
            source_connection_id = source,
            dest_connection_id = dest,
            dest_table = destTable,
            source_query = query ?? "SELECT id, customer, amount FROM orders",
            merge_strategy = "full",
            columns = new[]
            {
                new { source_name = "id", source_type = "INTEGER", dest_name = "id", dest_type = "INTEGER" },
                new { source_name = "customer", source_type = "TEXT", dest_name = "customer", dest_type = "TEXT" },
                new { source_name = "amount", source_type = "DECIMAL", dest_name = "amount", dest_type = "NUMERIC" },
            },
        }, HttpStatusCode.Created);
        return (long)created["id"]!;
    }

    /// <summary>A module whose source is a recursive CTE of <paramref name="rows"/> rows: long enough to cancel or queue behind.</summary>
    public static Task<long> CreateSlowModuleAsync(this HttpClient client, long source, long dest, string name, long rows = 500_000_000) =>
        client.CreateOrdersModuleAsync(source, dest, name, $"{name}_out",
            $"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < {rows}) SELECT x AS id, 'n' AS customer, x AS amount FROM c");

    /// <summary>Polls a run until its status satisfies <paramref name="done"/> (a hang guard, not a timing assertion).</summary>
    public static async Task<JsonNode> WaitForRunAsync(this HttpClient client, long runId, Func<string, bool>? done = null)
    {
        done ??= s => s is "success" or "error" or "cancelled" or "dry_run";
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var run = await client.GetJsonAsync($"/api/runs/{runId}");
            if (done((string)run["status"]!)) return run;
            await Task.Delay(50, guard.Token);
        }
    }

    public static async Task<JsonNode> WaitForGroupRunAsync(this HttpClient client, long groupRunId)
    {
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        while (true)
        {
            var run = await client.GetJsonAsync($"/api/group-runs/{groupRunId}");
            if ((string)run["status"]! is not "running") return run;
            await Task.Delay(50, guard.Token);
        }
    }

    public static async Task<JsonNode> ReadBodyJsonAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static Task<JsonNode?> ReadFromJsonNodeAsync(this HttpContent content) => content.ReadFromJsonAsync<JsonNode>();
}
