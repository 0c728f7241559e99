using System.Diagnostics;
using Pipekit.Testing;

namespace Pipekit.Bench;

/// <summary>
/// Splits the PostgreSQL → PostgreSQL transfer into its phases, each beside psql doing the same, on the same cluster
/// and in alternating order: process start alone, a whole transfer of no rows (start-up, connections, type loading,
/// describe), the COPY export alone into a null sink, and the COPY import alone from a file.
/// </summary>
internal static class TransferBreakdown
{
    private const string NoTypeLoading = "?Server%20Compatibility%20Mode=NoTypeLoading";

    public static async Task RunAsync(PostgresCluster cluster, string psql, string srcDb, string dstDb, int rounds, string work)
    {
        var common = $"-X -q -h 127.0.0.1 -p {cluster.Port} -U postgres";
        var file = Path.Combine(work, "bench.copy");
        await TransferBenchmark.RunProcessAsync("/bin/bash", ["-c", $"{psql} {common} -d {srcDb} -c \"\\copy ({BenchData.SelectSql}) TO STDOUT (FORMAT binary)\" > {file}"]);
        var empty = BenchData.SelectSql + " LIMIT 0";
        var worker = TransferBenchmark.WorkerCommand();
        string Pipe(string sql) =>
            $"set -o pipefail; {psql} {common} -d {srcDb} -c \"\\copy ({sql}) TO STDOUT (FORMAT binary)\" | {psql} {common} -d {dstDb} -c \"\\copy bench_dst FROM STDIN (FORMAT binary)\"";
        var phases = new (string Name, bool Truncate, string[] Pipekit, string Psql)[]
        {
            ("process start (no database)", false, [worker, "worker", "noop"], $"{psql} --version > /dev/null"),
            ("transfer of 0 rows", false, [worker, "worker", "transfer", cluster.Uri(srcDb), empty, cluster.Uri(dstDb), "bench_dst"],
                $"set -o pipefail; {psql} {common} -d {srcDb} -c \"\\copy ({empty}) TO STDOUT (FORMAT binary)\" | {psql} {common} -d {dstDb} -c \"\\copy bench_dst FROM STDIN (FORMAT binary)\""),
            ("transfer of 0 rows, no type loading", false, [worker, "worker", "transfer", cluster.Uri(srcDb) + NoTypeLoading, empty, cluster.Uri(dstDb) + NoTypeLoading, "bench_dst"],
                $"set -o pipefail; {psql} {common} -d {srcDb} -c \"\\copy ({empty}) TO STDOUT (FORMAT binary)\" | {psql} {common} -d {dstDb} -c \"\\copy bench_dst FROM STDIN (FORMAT binary)\""),
            ("COPY OUT alone, into a null sink", false, [worker, "worker", "copy-out", cluster.Uri(srcDb), BenchData.SelectSql],
                $"{psql} {common} -d {srcDb} -c \"\\copy ({BenchData.SelectSql}) TO STDOUT (FORMAT binary)\" > /dev/null"),
            // The same whole transfer with two runtime settings the product does not use, to show what the thread pool costs:
            // socket continuations run inline on the socket engine's thread (halves the pump's CPU, but a synchronous
            // socket call made from such a continuation waits for the thread it runs on, until its timeout), and idle pool
            // threads spinning before they sleep (the runtime's default limit, 70; Directory.Build.props sets 0).
            ("transfer, inline socket completions", true, ["/usr/bin/env", "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1", worker, "worker", "transfer", cluster.Uri(srcDb), BenchData.SelectSql, cluster.Uri(dstDb), "bench_dst"], Pipe(BenchData.SelectSql)),
            ("transfer, thread pool spinning", true, ["/usr/bin/env", "DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=70", worker, "worker", "transfer", cluster.Uri(srcDb), BenchData.SelectSql, cluster.Uri(dstDb), "bench_dst"], Pipe(BenchData.SelectSql)),
            // Dynamic PGO, which PipekitProcess.props turns off: hot precompiled methods recompiled through an instrumented tier.
            ("transfer, dynamic PGO on", true, ["/usr/bin/env", "DOTNET_TieredPGO=1", worker, "worker", "transfer", cluster.Uri(srcDb), BenchData.SelectSql, cluster.Uri(dstDb), "bench_dst"], Pipe(BenchData.SelectSql)),
            ("COPY IN alone, from a file", true, [worker, "worker", "copy-in", cluster.Uri(dstDb), file, "bench_dst"],
                $"{psql} {common} -d {dstDb} -c \"\\copy bench_dst FROM '{file}' (FORMAT binary)\""),
        };
        Console.WriteLine();
        Console.WriteLine($"Breakdown ({new FileInfo(file).Length / 1048576.0:F0} MB of binary COPY data), medians of {rounds} rounds, each pair alternating:");
        Console.WriteLine($"{"phase",-38} {"Pipekit s",10} {"psql s",10} {"Pipekit - psql",15} {"ratio",7}");
        foreach (var phase in phases)
        {
            var pipekit = new List<double>();
            var reference = new List<double>();
            for (var round = 0; round < rounds; round++)
            {
                foreach (var pipekitFirst in round % 2 == 0 ? new[] { true, false } : [false, true])
                {
                    if (phase.Truncate) await TransferBenchmark.ResetPostgresAsync(cluster.ConnectionString(dstDb));
                    await TransferBenchmark.WriteBackAsync();
                    var clock = Stopwatch.StartNew();
                    if (pipekitFirst) await TransferBenchmark.RunProcessAsync(phase.Pipekit[0], phase.Pipekit[1..]);
                    else await TransferBenchmark.RunProcessAsync("/bin/bash", ["-c", phase.Psql]);
                    (pipekitFirst ? pipekit : reference).Add(clock.Elapsed.TotalSeconds);
                }
            }
            var a = TransferBenchmark.Median(pipekit);
            var b = TransferBenchmark.Median(reference);
            Console.WriteLine($"{phase.Name,-38} {a,10:F3} {b,10:F3} {a - b,15:+0.000;-0.000} {b / a,6:F2}x");
        }
        File.Delete(file);
    }
}
