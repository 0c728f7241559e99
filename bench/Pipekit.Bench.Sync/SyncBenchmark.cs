using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Core.Transfer;
using Pipekit.Sync;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Testing;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Bench.Sync;

/// <summary>
/// Full runs of every full_load mode against the psql pipe (<see cref="FullLoadBenchmark"/>), then a PG→PG incremental module over N existing rows with a 5% delta, timed against the bare transfer of the
/// same delta and against the merge SQL alone; and a dry run with three watermarks against seed 002's
/// ~100 ms per jrunner resolver call. Rounds alternate so machine noise hits every measurement alike.
/// </summary>
internal static class SyncBenchmark
{
    internal const string Columns = "order_id, customer_id, status, amount, note, ordered_at, updated_at";

    public static async Task<int> RunAsync(long rows, int rounds, CancellationToken ct)
    {
        Console.WriteLine($"sync benchmark: {rows:N0} rows; full runs per full_load mode and the psql pipe; incremental runs with a 5% delta ({rows / 20:N0} rows); {rounds} rounds");
        await using var cluster = await PostgresCluster.StartAsync(ct);
        var source = await cluster.CreateDatabaseAsync(ct);
        var dest = await cluster.CreateDatabaseAsync(ct);
        var clock = Stopwatch.StartNew();
        await LoadAsync(cluster.ConnectionString(source), rows, ct);
        await LoadAsync(cluster.ConnectionString(dest), rows, ct);
        Console.WriteLine($"loaded {rows:N0} rows into source and destination in {clock.Elapsed.TotalSeconds:0.0} s");

        using var home = new TempDirectory();
        var environment = new PipekitEnvironment(new PipekitHome(home.Path), new PipekitConfig(), home.File("secrets.toml"));
        await using var services = new ServiceCollection()
            .AddPipekitCore(environment, await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, ct))
            .AddPipekitSync()
            .AddLogging(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(
                Environment.GetEnvironmentVariable("PIPEKIT_BENCH_TRACE") is null ? LogLevel.Warning : LogLevel.Debug))
            .BuildServiceProvider();
        await services.GetRequiredService<StateStore>().InitializeAsync(ct);
        var connections = services.GetRequiredService<ConnectionRepository>();
        var src = await connections.AddAsync(new ConnectionRecord { Name = "src", Driver = "postgres", Url = cluster.Uri(source) }, ct);
        var dst = await connections.AddAsync(new ConnectionRecord { Name = "dst", Driver = "postgres", Url = cluster.Uri(dest) }, ct);
        var modules = services.GetRequiredService<ModuleRepository>();
        var module = await modules.SaveAsync(new Module
        {
            Name = "orders", SourceConnectionId = src.Id, DestConnectionId = dst.Id, DestTable = "public.orders",
            MergeStrategy = MergeStrategy.Incremental, MergeKey = "order_id",
            SourceQuery = $"SELECT {Columns} FROM orders WHERE updated_at > '{{since}}'",
            Watermarks = [new Watermark { Name = "since", ConnectionId = dst.Id, ResolverSql = "SELECT max(updated_at) FROM orders", DefaultValue = "1970-01-01" }],
        }, ct);
        var dryModule = await modules.SaveAsync(new Module
        {
            Name = "orders_dry", SourceConnectionId = src.Id, DestConnectionId = dst.Id, DestTable = "public.orders",
            MergeStrategy = MergeStrategy.Incremental, MergeKey = "order_id",
            SourceQuery = $"SELECT {Columns} FROM orders WHERE updated_at > '{{since}}' OR order_id > {{max_id}} OR customer_id = {{customer}}",
            Watermarks =
            [
                new Watermark { Name = "since", ConnectionId = dst.Id, ResolverSql = "SELECT max(updated_at) FROM orders" },
                new Watermark { Name = "max_id", ConnectionId = dst.Id, ResolverSql = "SELECT max(order_id) FROM orders" },
                new Watermark { Name = "customer", ConnectionId = src.Id, ResolverSql = "SELECT min(customer_id) FROM orders WHERE order_id < 1000" },
            ],
        }, ct);
        var engine = services.GetRequiredService<ModuleRunner>();
        var transfer = services.GetRequiredService<TransferEngine>();
        var resolver = services.GetRequiredService<ConnectionResolver>();

        // Full runs first, one per full_load mode, against the psql pipe; then the incremental runs.
        await FullLoadBenchmark.RunAsync(cluster, source, dest, src, dst, modules, engine, rows, rounds, ct);

        var engineTimes = new List<double>();
        var bareTimes = new List<double>();
        var mergeTimes = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            // A fresh 5% delta, newer than anything the destination holds.
            var stamp = new DateTime(2030, 1, 1).AddHours(round * 2);
            var since = stamp.AddHours(-1).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await ExecuteAsync(cluster.ConnectionString(source),
                $"UPDATE orders SET updated_at = '{stamp:yyyy-MM-dd HH:mm:ss}', status = 'round{round}' WHERE order_id % 20 = {round % 20}", ct);
            var deltaSql = $"SELECT {Columns} FROM orders WHERE updated_at > '{since}'";

            // Bare transfer of the same delta into a table like the destination, then the merge SQL alone.
            await ExecuteAsync(cluster.ConnectionString(dest),
                "CREATE SCHEMA IF NOT EXISTS pipekit_staging; DROP TABLE IF EXISTS pipekit_staging.bare; CREATE TABLE pipekit_staging.bare (LIKE public.orders)", ct);
            clock.Restart();
            var bare = await transfer.TransferAsync(new TransferRequest(resolver.Resolve(src), deltaSql, resolver.Resolve(dst), new TableName("bare", "pipekit_staging")), null, ct);
            bareTimes.Add(clock.Elapsed.TotalMilliseconds);
            clock.Restart();
            await ExecuteAsync(cluster.ConnectionString(dest), $"""
                BEGIN;
                DELETE FROM public.orders WHERE EXISTS (SELECT 1 FROM pipekit_staging.bare s WHERE s.order_id = public.orders.order_id);
                INSERT INTO public.orders ({Columns}) SELECT {Columns} FROM pipekit_staging.bare;
                ROLLBACK;
                """, ct);
            mergeTimes.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            var result = await engine.RunAsync(module.Id, new RunOptions { TriggeredBy = "bench" }, ct);
            engineTimes.Add(clock.Elapsed.TotalMilliseconds);
            if (result.Status != RunStatus.Success || result.RowCount != bare.Rows)
                throw new InvalidOperationException($"round {round}: engine {result.Status} {result.RowCount} rows ({result.Error}), bare {bare.Rows} rows");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {bare.Rows:N0} rows  bare transfer {bareTimes[^1],8:0} ms  merge SQL {mergeTimes[^1],8:0} ms  engine end-to-end {engineTimes[^1],8:0} ms"));
        }

        var dryTimes = new List<double>();
        for (var i = 0; i < 21; i++)
        {
            clock.Restart();
            var dry = await engine.RunAsync(dryModule.Id, new RunOptions { DryRun = true, TriggeredBy = "bench" }, ct);
            dryTimes.Add(clock.Elapsed.TotalMilliseconds);
            if (dry.Status != RunStatus.DryRun) throw new InvalidOperationException($"dry run: {dry.Status} {dry.Error}");
        }

        var e = Median(engineTimes);
        var b = Median(bareTimes);
        var m = Median(mergeTimes);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"incremental run (median of {rounds}): engine {e:0} ms, bare transfer of the delta {b:0} ms, merge SQL alone {m:0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  engine vs bare transfer:                {e / b:0.00}x  (overhead {100 * (e - b) / b:0}%, goal < 15%)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  engine vs bare transfer + merge SQL:    {e / (b + m):0.00}x  (bookkeeping {100 * (e - b - m) / (b + m):0}%: lock, watermark, staging DDL, run log)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dry run with 3 watermarks (median of 21): {Median(dryTimes):0.0} ms (min {dryTimes.Min():0.0}, max {dryTimes.Max():0.0}); seed 002's jrunner: ~300 ms (3 x ~100 ms); goal < 50 ms"));
        return 0;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    // Both sides are keyed and indexed on the watermark column, as a real source and destination would be.
    internal static Task LoadAsync(string connectionString, long rows, CancellationToken ct) =>
        ExecuteAsync(connectionString, $"""
            CREATE TABLE orders (
                order_id    bigint PRIMARY KEY,
                customer_id integer NOT NULL,
                status      text NOT NULL,
                amount      numeric(12,2) NOT NULL,
                note        text,
                ordered_at  timestamp NOT NULL,
                updated_at  timestamp NOT NULL
            );
            {InsertRows(rows, "true")};
            CREATE INDEX orders_updated ON orders (updated_at);
            ANALYZE orders;
            """, ct);

    /// <summary>The generated rows 1..N that satisfy <paramref name="where"/> (over <c>g</c>), the same on every call.</summary>
    internal static string InsertRows(long rows, string where) => $"""
        INSERT INTO orders
        SELECT g, 1 + g % 5000, CASE g % 10 WHEN 0 THEN 'cancelled' ELSE 'shipped' END, (g % 100000) / 100.0,
               CASE WHEN g % 3 = 0 THEN NULL ELSE md5(g::text) END,
               timestamp '2025-01-01' + (g % 525600) * interval '1 minute',
               timestamp '2025-06-01' + (g % 262800) * interval '1 minute'
        FROM generate_series(1, {rows}) g WHERE {where}
        """;

    internal static async Task ExecuteAsync(string connectionString, string sql, CancellationToken ct)
    {
        await using var c = new NpgsqlConnection(connectionString);
        await c.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, c) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
    }
}
