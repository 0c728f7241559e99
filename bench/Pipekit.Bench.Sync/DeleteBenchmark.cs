using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
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
using Pipekit.Sync.Watermarks;
using Pipekit.Testing;

namespace Pipekit.Bench.Sync;

/// <summary>
/// Delete detection on a PG→PG incremental module: N destination rows, 1% deleted at the source, no other change.
/// Reports the delete phase (the set-based DELETE in the merge transaction) against the keys transfer that feeds it
/// and against a bare transfer of the same key column, plus the whole run. Each round puts the deleted rows back
/// into the destination first.
/// </summary>
internal static partial class DeleteBenchmark
{
    public static async Task<int> RunAsync(long rows, int rounds, CancellationToken ct)
    {
        Console.WriteLine($"delete detection benchmark: {rows:N0} destination rows, 1% ({rows / 100:N0}) deleted at the source, {rounds} rounds");
        await using var cluster = await PostgresCluster.StartAsync(ct);
        var source = await cluster.CreateDatabaseAsync(ct);
        var dest = await cluster.CreateDatabaseAsync(ct);
        await SyncBenchmark.LoadAsync(cluster.ConnectionString(source), rows, ct);
        await SyncBenchmark.LoadAsync(cluster.ConnectionString(dest), rows, ct);
        await SyncBenchmark.ExecuteAsync(cluster.ConnectionString(source), "DELETE FROM orders WHERE order_id % 100 = 7; ANALYZE orders", ct);

        using var home = new TempDirectory();
        var environment = new PipekitEnvironment(new PipekitHome(home.Path), new PipekitConfig(), home.File("secrets.toml"));
        await using var services = new ServiceCollection()
            .AddPipekitCore(environment, await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, ct))
            .AddPipekitSync()
            .BuildServiceProvider();
        await services.GetRequiredService<StateStore>().InitializeAsync(ct);
        var connections = services.GetRequiredService<ConnectionRepository>();
        var src = await connections.AddAsync(new ConnectionRecord { Name = "src", Driver = "postgres", Url = cluster.Uri(source) }, ct);
        var dst = await connections.AddAsync(new ConnectionRecord { Name = "dst", Driver = "postgres", Url = cluster.Uri(dest) }, ct);
        var module = await services.GetRequiredService<ModuleRepository>().SaveAsync(new Module
        {
            Name = "orders", SourceConnectionId = src.Id, DestConnectionId = dst.Id, DestTable = "public.orders",
            MergeStrategy = MergeStrategy.Incremental, MergeKey = "order_id", DeleteDetection = DeleteDetection.Hard,
            SourceQuery = $"SELECT {SyncBenchmark.Columns} FROM orders WHERE updated_at > '{{since}}'",
            Watermarks = [new Watermark { Name = "since", ConnectionId = dst.Id, ResolverSql = "SELECT max(updated_at) FROM orders", DefaultValue = "1970-01-01" }],
        }, ct);
        var engine = services.GetRequiredService<ModuleRunner>();
        var runs = services.GetRequiredService<RunLogRepository>();
        var transfer = services.GetRequiredService<TransferEngine>();
        var resolver = services.GetRequiredService<ConnectionResolver>();

        var (phase, keys, bare, total) = (new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var clock = new Stopwatch();
        for (var round = 1; round <= rounds; round++)
        {
            await SyncBenchmark.ExecuteAsync(cluster.ConnectionString(dest),
                "DELETE FROM orders WHERE order_id % 100 = 7; " + SyncBenchmark.InsertRows(rows, "g % 100 = 7") + "; ANALYZE orders", ct);
            await SyncBenchmark.ExecuteAsync(cluster.ConnectionString(dest),
                "CREATE SCHEMA IF NOT EXISTS pipekit_staging; DROP TABLE IF EXISTS pipekit_staging.bare_keys; CREATE TABLE pipekit_staging.bare_keys (order_id bigint)", ct);
            clock.Restart();
            await transfer.TransferAsync(new TransferRequest(resolver.Resolve(src), "SELECT order_id FROM orders", resolver.Resolve(dst),
                new TableName("bare_keys", "pipekit_staging")), null, ct);
            bare.Add(clock.Elapsed.TotalMilliseconds);

            clock.Restart();
            var result = await engine.RunAsync(module.Id, new RunOptions { TriggeredBy = "bench" }, ct);
            total.Add(clock.Elapsed.TotalMilliseconds);
            var log = result.RunId is { } id ? await runs.GetAsync(id, ct) : null;
            if (result.Status != RunStatus.Success || log?.DeletedRows != rows / 100 + (rows % 100 >= 7 ? 1 : 0))
                throw new InvalidOperationException($"round {round}: {result.Status} ({result.Error}), {log?.DeletedRows} rows deleted");
            keys.Add(Seconds(KeysLine(), log.TransferLog!) * 1000);
            phase.Add(Seconds(PhaseLine(), log.TransferLog!) * 1000);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: {log.DeletedRows:N0} deleted  delete phase {phase[^1],8:0} ms  keys transfer {keys[^1],8:0} ms  bare key transfer {bare[^1],8:0} ms  run {total[^1],8:0} ms"));
        }
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"delete detection (median of {rounds}): delete phase {Median(phase):0} ms, keys transfer {Median(keys):0} ms, bare transfer of the key column {Median(bare):0} ms, whole run {Median(total):0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  delete phase vs keys transfer: {Median(phase) / Median(keys):0.00}x;  keys transfer vs bare: {Median(keys) / Median(bare):0.00}x"));
        return 0;
    }

    private static double Seconds(Regex line, string log) =>
        line.Match(log) is { Success: true } m ? double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"no timing in the run's transfer log: {log}");

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    [GeneratedRegex(@"keys from \S+ into \S+ in ([0-9.]+) s")]
    private static partial Regex KeysLine();

    [GeneratedRegex(@"delete detection: \d+ rows deleted in ([0-9.]+) s")]
    private static partial Regex PhaseLine();
}
