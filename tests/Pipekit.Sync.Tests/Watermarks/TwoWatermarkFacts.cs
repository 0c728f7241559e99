using System.Text.Json;
using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Watermarks;

/// <summary>
/// Seed 002's example of a module with two watermarks: <c>{since}</c>, the newest modification time already in the
/// destination, and <c>{max_id}</c>, the highest order number there, together select the orders to pull again.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class TwoWatermarkFacts(PostgresFixture postgres)
{
    private const string SourceQuery = """
        SELECT order_id, status, updated_at FROM orders
        WHERE updated_at > '{since}' OR order_id > {max_id}
        """;

    [PostgresFact]
    public async Task Both_watermarks_are_resolved_substituted_stored_on_the_module_and_logged()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddPostgresAsync("dst", postgres);
        await h.ExecuteAsync(source,
            "CREATE TABLE orders (order_id integer, status text, updated_at timestamp)",
            "INSERT INTO orders VALUES (1, 'new', '2026-01-01 08:00'), (2, 'new', '2026-01-02 09:15:30.5'), (3, 'paid', '2026-01-03 10:00')");
        await h.ExecuteAsync(dest, "CREATE TABLE orders_copy (order_id integer, status text, updated_at timestamp)");
        var module = await h.SaveModuleAsync(OrdersModule(source, dest));

        var first = await h.RunAsync(module);

        RunAssert.Succeeded(first, 3);
        await AssertResolvedAsync(h, module, first.RunId!.Value, "1900-01-01T00:00:00", "0");

        // Order 2 changes; order 4 is new but carries an old timestamp, so only {max_id} finds it.
        await h.ExecuteAsync(source,
            "UPDATE orders SET status = 'paid', updated_at = '2026-01-04 11:30:00.25' WHERE order_id = 2",
            "INSERT INTO orders VALUES (4, 'new', '2026-01-02 00:00')");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 2);
        await AssertResolvedAsync(h, module, second.RunId!.Value, "2026-01-03T10:00:00", "3");
        Assert.Equal(
            ["1|new|2026-01-01 08:00:00", "2|paid|2026-01-04 11:30:00.25", "3|paid|2026-01-03 10:00:00", "4|new|2026-01-02 00:00:00"],
            await h.DumpAsync(dest, "orders_copy", 3));
    }

    private static async Task AssertResolvedAsync(SyncHarness h, Module module, long runId, string since, string maxId)
    {
        var expectedSql = $"""
            SELECT order_id, status, updated_at FROM orders
            WHERE updated_at > '{since}' OR order_id > {maxId}
            """;
        var run = await h.Runs.GetAsync(runId, CancellationToken.None);
        var stored = await h.ReloadAsync(module);

        Assert.Equal(new Dictionary<string, string> { ["since"] = since, ["max_id"] = maxId },
            JsonSerializer.Deserialize<Dictionary<string, string>>(run!.WatermarkValuesJson!));
        Assert.Equal(expectedSql, run.ResolvedSourceSql);
        Assert.Equal(expectedSql, stored.NextResolvedQuery);
        Assert.Equal(run.MergeSql, stored.NextMergeSql);
        Assert.Contains($"watermark since = {since}", run.LiveLog, StringComparison.Ordinal);
        Assert.Contains($"watermark max_id = {maxId}", run.LiveLog, StringComparison.Ordinal);
    }

    private static Module OrdersModule(ConnectionRecord source, ConnectionRecord dest) => new()
    {
        Name = "orders_repull",
        SourceConnectionId = source.Id,
        DestConnectionId = dest.Id,
        DestTable = "orders_copy",
        SourceQuery = SourceQuery,
        MergeStrategy = MergeStrategy.Incremental,
        MergeKey = "order_id",
        Columns =
        [
            new("order_id", "integer", "order_id", "integer"),
            new("status", "text", "status", "text"),
            new("updated_at", "timestamp", "updated_at", "timestamp"),
        ],
        Watermarks =
        [
            new() { Name = "since", ConnectionId = dest.Id, ResolverSql = "SELECT max(updated_at) FROM orders_copy", DefaultValue = "1900-01-01T00:00:00" },
            new() { Name = "max_id", ConnectionId = dest.Id, ResolverSql = "SELECT max(order_id) FROM orders_copy", DefaultValue = "0" },
        ],
    };
}
