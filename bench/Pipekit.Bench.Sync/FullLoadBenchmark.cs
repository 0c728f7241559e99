using System.Diagnostics;
using System.Globalization;
using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Testing;

namespace Pipekit.Bench.Sync;

/// <summary>
/// A PG→PG full module of every source row, once per <c>full_load</c> mode, timed end to end through the engine
/// against the <c>psql \copy (…) TO STDOUT binary | psql \copy … FROM STDIN binary</c> pipe moving the same rows into
/// a table of the same shape. Rounds alternate the methods so machine noise hits each alike.
/// </summary>
internal static class FullLoadBenchmark
{
    private static readonly string[] PsqlCandidates = [Path.Combine(PostgresCluster.BinDirectory, "psql"), "/usr/bin/psql"];

    public static async Task RunAsync(PostgresCluster cluster, string sourceDb, string destDb, ConnectionRecord src, ConnectionRecord dst,
        ModuleRepository modules, ModuleRunner engine, long rows, int rounds, CancellationToken ct)
    {
        var psql = PsqlCandidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("psql not found (apt-get install postgresql-client-15)");
        var dest = cluster.ConnectionString(destDb);
        var sql = $"SELECT {SyncBenchmark.Columns} FROM orders";
        // Every destination has the source table's shape: primary key, the watermark index, NOT NULL.
        await SyncBenchmark.ExecuteAsync(dest, string.Join(";\n",
            new[] { "pipe", "staging", "direct", "swap" }.Select(t => $"CREATE TABLE orders_{t} (LIKE orders INCLUDING ALL)")), ct);
        var full = new Dictionary<FullLoad, long>();
        foreach (var mode in Enum.GetValues<FullLoad>())
        {
            var name = mode.ToText();
            full[mode] = (await modules.SaveAsync(new Module
            {
                Name = $"orders_full_{name}", SourceConnectionId = src.Id, DestConnectionId = dst.Id, DestTable = $"public.orders_{name}",
                MergeStrategy = MergeStrategy.Full, FullLoad = mode, SourceQuery = sql,
            }, ct)).Id;
        }

        var times = new Dictionary<string, List<double>>();
        void Record(string method, double ms) => (times.TryGetValue(method, out var list) ? list : times[method] = []).Add(ms);
        var clock = new Stopwatch();
        for (var round = 1; round <= rounds; round++)
        {
            await SyncBenchmark.ExecuteAsync(dest, "TRUNCATE orders_pipe; CHECKPOINT", ct);
            clock.Restart();
            await PipeAsync(psql, cluster.Port, sourceDb, destDb, sql, ct);
            Record("psql pipe", clock.Elapsed.TotalMilliseconds);
            // The modes take turns going first, so the first run's warm-up (JIT, cold caches) is not always one mode's.
            var shift = (round - 1) % full.Count;
            foreach (var (mode, id) in full.Skip(shift).Concat(full.Take(shift)))
            {
                await SyncBenchmark.ExecuteAsync(dest, "CHECKPOINT", ct);
                clock.Restart();
                var result = await engine.RunAsync(id, new RunOptions { TriggeredBy = "bench" }, ct);
                Record($"full_load = {mode.ToText()}", clock.Elapsed.TotalMilliseconds);
                if (result.Status != RunStatus.Success || result.RowCount != rows)
                    throw new InvalidOperationException($"round {round}: full_load {mode.ToText()}: {result.Status} {result.RowCount} rows ({result.Error})");
            }
            Console.WriteLine($"round {round}: " + string.Join("  ", times.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t.Key} {t.Value[^1]:0} ms"))));
        }

        var pipe = SyncBenchmark.Median(times["psql pipe"]);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"full run of {rows:N0} rows PG→PG (median of {rounds}), engine end to end against the psql pipe:"));
        Console.WriteLine("| method | median ms | rows/s | × the pipe's speed (goal ≥ 0.8×) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (method, list) in times)
        {
            var ms = SyncBenchmark.Median(list);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {method} | {ms:0} | {rows / (ms / 1000):N0} | {pipe / ms:0.00}× |"));
        }
        Console.WriteLine();
    }

    private static async Task PipeAsync(string psql, int port, string sourceDb, string destDb, string sql, CancellationToken ct)
    {
        var common = $"-X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p {port} -U postgres";
        var pipe = $"set -o pipefail; {psql} {common} -d {sourceDb} -c \"\\copy ({sql}) TO STDOUT (FORMAT binary)\" " +
                   $"| {psql} {common} -d {destDb} -c \"\\copy orders_pipe FROM STDIN (FORMAT binary)\"";
        using var process = Process.Start(new ProcessStartInfo("/bin/bash", ["-c", pipe]) { RedirectStandardError = true })
            ?? throw new InvalidOperationException("could not start the psql pipe");
        var errors = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        if (process.ExitCode != 0) throw new InvalidOperationException($"the psql pipe failed ({process.ExitCode}): {await errors}");
    }
}
