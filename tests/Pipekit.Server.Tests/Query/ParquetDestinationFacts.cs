using System.Net;
using System.Text.Json.Nodes;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Pipekit.Core.Drivers.Parquet;
using Xunit;

namespace Pipekit.Server.Tests.Query;

/// <summary>
/// A Sync module whose destination is a Parquet lake, run end to end through the API: the files are written, DuckDB
/// reads them directly, the dataset named after the module is queryable by POST /sql at once, and a failed run leaves
/// the previous files in place.
/// </summary>
public sealed class ParquetDestinationFacts : IDisposable
{
    private readonly PipekitApp _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task A_full_run_writes_a_parquet_dataset_that_post_sql_reads_at_once()
    {
        var (client, module, lake) = await ModuleAsync("full", null);

        var run = await RunAsync(client, module);

        Assert.Equal("success", (string)run["status"]!);
        Assert.Equal(3, Read($"SELECT count(*) FROM read_parquet({Files(lake)})"));
        var result = await client.PostJsonAsync("/sql", new { sql = "SELECT id, customer FROM lake_orders ORDER BY id" });
        Assert.Equal("[[1,\"ada  \"],[2,\"bob\"],[3,\"cy\"]]", result["rows"]!.ToJsonString());
        var dataset = (await client.GetJsonAsync("/api/datasets"))["items"]!.AsArray().Single(d => (string)d!["name"]! == "lake_orders")!;
        Assert.Equal("ok", (string)dataset["status"]!);
    }

    [Fact]
    public async Task A_second_full_run_swaps_in_a_new_file_set_and_queries_see_only_it()
    {
        var (client, module, lake) = await ModuleAsync("full", null);
        await RunAsync(client, module);
        Source("DELETE FROM orders WHERE id = 3");

        await RunAsync(client, module);

        var manifest = await ParquetLake.ReadManifestAsync(Path.Combine(lake, "lake_orders"), CancellationToken.None);
        Assert.Single(manifest!.Files);
        Assert.Equal(2, manifest.Rows);
        var result = await client.PostJsonAsync("/api/sql", new { sql = "SELECT count(*) FROM lake_orders" });
        Assert.Equal(2, (int)result["rows"]![0]![0]!);
    }

    [Fact]
    public async Task An_append_run_adds_one_file_next_to_the_current_ones()
    {
        var (client, module, lake) = await ModuleAsync("append", null);
        await RunAsync(client, module);

        await RunAsync(client, module);

        var manifest = await ParquetLake.ReadManifestAsync(Path.Combine(lake, "lake_orders"), CancellationToken.None);
        Assert.Equal([3L, 3L], manifest!.Files.Select(f => f.Rows));
        Assert.Equal(6, Read($"SELECT count(*) FROM read_parquet({Files(lake)})"));
        var result = await client.PostJsonAsync("/sql", new { sql = "SELECT count(*) FROM lake_orders" });
        Assert.Equal(6, (int)result["rows"]![0]![0]!);
    }

    [Fact]
    public async Task An_incremental_run_replaces_rows_matching_the_merge_key_and_records_key_ranges()
    {
        var (client, module, lake) = await ModuleAsync("incremental", "id");
        await RunAsync(client, module);
        Source("UPDATE orders SET customer = 'bea' WHERE id = 2; INSERT INTO orders VALUES (4, 'dan', 1.00, '2026-01-05')");

        await RunAsync(client, module);

        var result = await client.PostJsonAsync("/sql", new { sql = "SELECT id, customer FROM lake_orders ORDER BY id" });
        Assert.Equal("[[1,\"ada  \"],[2,\"bea\"],[3,\"cy\"],[4,\"dan\"]]", result["rows"]!.ToJsonString());
        var manifest = await ParquetLake.ReadManifestAsync(Path.Combine(lake, "lake_orders"), CancellationToken.None);
        Assert.Equal("1", manifest!.Files[0].Min["id"]);
        Assert.Equal("4", manifest.Files[0].Max["id"]);
    }

    [Fact]
    public async Task Incremental_runs_leave_the_files_their_keys_do_not_reach_untouched()
    {
        var (client, module, lake) = await ModuleAsync("incremental", "id");
        await RunAsync(client, module);
        var dataset = Path.Combine(lake, "lake_orders");
        var first = (await ParquetLake.ReadManifestAsync(dataset, CancellationToken.None))!.Files.Single();
        var written = File.GetLastWriteTimeUtc(Path.Combine(dataset, first.Path));
        await client.PostJsonAsync($"/api/modules/{module}", new Dictionary<string, object?> { ["source_query"] = "SELECT id, customer, amount FROM orders WHERE id >= 4" });
        Source("INSERT INTO orders VALUES (4, 'dan', 1.00, '2026-01-05')");
        await RunAsync(client, module);
        Source("UPDATE orders SET customer = 'dee' WHERE id = 4");

        var run = await RunAsync(client, module);

        Assert.Equal("success", (string)run["status"]!);
        var manifest = (await ParquetLake.ReadManifestAsync(dataset, CancellationToken.None))!;
        Assert.Equal(2, manifest.Files.Count);
        Assert.Equal(first.Path, manifest.Files[0].Path);
        Assert.Equal(written, File.GetLastWriteTimeUtc(Path.Combine(dataset, first.Path)));
        Assert.Equal(("4", "4"), (manifest.Files[1].Min["id"], manifest.Files[1].Max["id"]));
        Assert.Contains("1 added, 0 rewritten, 1 untouched", (string)run["live_log"]!, StringComparison.Ordinal);
        var result = await client.PostJsonAsync("/sql", new { sql = "SELECT id, customer FROM lake_orders ORDER BY id" });
        Assert.Equal("[[1,\"ada  \"],[2,\"bob\"],[3,\"cy\"],[4,\"dee\"]]", result["rows"]!.ToJsonString());
    }

    [Fact]
    public async Task An_incremental_run_with_delete_detection_into_a_lake_is_refused_before_data_moves()
    {
        var (client, module, lake) = await ModuleAsync("incremental", "id");
        await RunAsync(client, module);
        await client.PostJsonAsync($"/api/modules/{module}", new Dictionary<string, object?> { ["delete_detection"] = "hard" });

        var run = await RunAsync(client, module);

        Assert.Equal("error", (string)run["status"]!);
        Assert.Contains("delete_detection = \"hard\" does not apply to lake, a file destination", (string)run["error"]!, StringComparison.Ordinal);
        Assert.Single((await ParquetLake.ReadManifestAsync(Path.Combine(lake, "lake_orders"), CancellationToken.None))!.Files);
    }

    [Fact]
    public async Task A_failed_run_leaves_the_published_files_and_the_dataset_as_they_were()
    {
        var (client, module, lake) = await ModuleAsync("full", null);
        await RunAsync(client, module);
        var before = await ParquetLake.ReadManifestAsync(Path.Combine(lake, "lake_orders"), CancellationToken.None);
        // The source now fails part-way: a text value that cannot become the NUMERIC destination column.
        Source("INSERT INTO orders VALUES (5, 'eve', 1.00, '2026-01-06'); UPDATE orders SET amount = 'not a number' WHERE id = 5");

        var run = await RunAsync(client, module);

        Assert.Equal("error", (string)run["status"]!);
        var after = await ParquetLake.ReadManifestAsync(Path.Combine(lake, "lake_orders"), CancellationToken.None);
        Assert.Equal(before!.Version, after!.Version);
        Assert.Equal(3, Read($"SELECT count(*) FROM read_parquet({Files(lake)})"));
        Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(lake, "lake_orders")), d => Path.GetFileName(d).StartsWith(".tmp-", StringComparison.Ordinal));
        var result = await client.PostJsonAsync("/sql", new { sql = "SELECT count(*) FROM lake_orders" });
        Assert.Equal(3, (int)result["rows"]![0]![0]!);
    }

    [Fact]
    public async Task A_parquet_connection_to_a_missing_directory_says_to_create_it()
    {
        var client = _app.Client();
        var missing = _app.File("no-such-lake");
        await client.CreateConnectionAsync("lake", $"parquet://{missing}");
        var source = await client.CreateConnectionAsync("source", $"sqlite://{_app.SourcePath}");
        var module = await client.CreateOrdersModuleAsync(source, await IdAsync(client, "lake"), "lake_orders", "lake_orders");

        var run = await RunAsync(client, module);

        Assert.Equal("error", (string)run["status"]!);
        Assert.Contains($"the lake directory {missing} does not exist", (string)run["error"]!, StringComparison.Ordinal);
    }

    private async Task<(HttpClient Client, long Module, string Lake)> ModuleAsync(string strategy, string? key)
    {
        var client = _app.Client();
        var lake = _app.File("lake");
        Directory.CreateDirectory(lake);
        var dest = await client.CreateConnectionAsync("lake", $"parquet://{lake}");
        var source = await client.CreateConnectionAsync("source", $"sqlite://{_app.SourcePath}");
        var module = await client.CreateOrdersModuleAsync(source, dest, "lake_orders", "lake_orders");
        await client.PostJsonAsync($"/api/modules/{module}", new Dictionary<string, object?> { ["merge_strategy"] = strategy, ["merge_key"] = key });
        return (client, module, lake);
    }

    private static async Task<long> IdAsync(HttpClient client, string connection) =>
        (long)(await client.GetJsonAsync("/api/connections"))["items"]!.AsArray().Single(c => (string)c!["name"]! == connection)!["id"]!;

    private static async Task<JsonNode> RunAsync(HttpClient client, long module)
    {
        var runId = (long)(await client.PostJsonAsync($"/api/modules/{module}/run", null, HttpStatusCode.Accepted))["run_id"]!;
        return await client.WaitForRunAsync(runId);
    }

    private void Source(string sql)
    {
        using var c = new SqliteConnection($"Data Source={_app.SourcePath};Pooling=False");
        c.Open();
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    // The current files, as the manifest names them, for DuckDB to read directly.
    private static string Files(string lake)
    {
        var directory = Path.Combine(lake, "lake_orders");
        var manifest = ParquetLake.ReadManifestAsync(directory, CancellationToken.None).GetAwaiter().GetResult()!;
        return "[" + string.Join(", ", ParquetLake.FilesOf(directory, manifest).Select(f => $"'{f}'")) + "]";
    }

    private static long Read(string sql)
    {
        using var connection = new DuckDBConnection("DataSource=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
