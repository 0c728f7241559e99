using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Npgsql;
using Pipekit.Testing;

namespace Pipekit.Bench;

/// <summary>
/// Times Pipekit's transfers against the references it must beat on one throwaway PostgreSQL cluster, the
/// methods alternating round by round so that no method always runs on a warm or cold cache.
/// </summary>
internal static class TransferBenchmark
{
    private const string DuckDbMemoryLimit = "128MB";
    private static readonly string[] PsqlCandidates = ["/usr/lib/postgresql/15/bin/psql", "/usr/bin/psql"];

    public static async Task<int> RunAsync(long rows, int rounds, bool skipInsert, string[]? only, bool breakdown = false)
    {
        var psql = PsqlCandidates.FirstOrDefault(File.Exists) ?? throw new InvalidOperationException("psql not found (apt-get install postgresql-client-15)");
        var work = Path.Combine(Path.GetTempPath(), "pipekit-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(work);
        Console.WriteLine($"Pipekit transfer benchmark: {rows:N0} rows x 10 columns, {rounds} rounds, {Environment.ProcessorCount} cores");
        await using var cluster = await PostgresCluster.StartAsync();
        try
        {
            var srcDb = await cluster.CreateDatabaseAsync();
            var dstDb = await cluster.CreateDatabaseAsync();
            var sqlitePath = Path.Combine(work, "bench_src.db");
            var duckSrcPath = Path.Combine(work, "bench_src.duckdb");
            var duckDstPath = Path.Combine(work, "bench_dst.duckdb");

            var generate = Stopwatch.StartNew();
            await BenchData.PostgresSourceAsync(cluster.ConnectionString(srcDb), rows);
            await BenchData.PostgresDestinationAsync(cluster.ConnectionString(dstDb));
            bool Wanted(string name) => only is null || only.Any(o => name.Contains(o, StringComparison.OrdinalIgnoreCase));
            if (Wanted("Pipekit SQLite->DuckDB")) await BenchData.SqliteSourceAsync(sqlitePath, rows);
            if (Wanted("Pipekit DuckDB->PG")) await BenchData.DuckDbSourceAsync(duckSrcPath, rows);
            await BenchData.DuckDbDestinationAsync(duckDstPath);
            Console.WriteLine($"generated sources in {generate.Elapsed.TotalSeconds:F1} s (PostgreSQL 15 on 127.0.0.1:{cluster.Port}, fsync off)");

            var pgSrcUri = cluster.Uri(srcDb);
            var pgDstUri = cluster.Uri(dstDb);
            // DuckDB caches table data up to its memory_limit (default 80% of RAM), so the DuckDB destination's limit
            // is set, as a DuckDB user would for a bounded load; Pipekit's own memory does not depend on it.
            var duckDstUri = "duckdb://" + duckDstPath + "?memory_limit=" + DuckDbMemoryLimit;
            var methods = new List<Method>
            {
                new("Pipekit PG->PG", Target.Postgres, () => WorkerAsync(pgSrcUri, BenchData.SelectSql, pgDstUri)),
                new("psql \\copy | psql \\copy (binary)", Target.Postgres, () => PsqlPipeAsync(psql, cluster.Port, srcDb, dstDb)),
            };
            if (!skipInsert)
                methods.Add(new("INSERT x1000 rows/stmt (Npgsql)", Target.Postgres, async () =>
                {
                    await InsertBatchLoader.RunAsync(cluster.ConnectionString(srcDb), cluster.ConnectionString(dstDb));
                    return null;
                }));
            methods.Add(new("Pipekit SQLite->DuckDB", Target.DuckDb, () => WorkerAsync("sqlite://" + sqlitePath, BenchData.SelectSql, duckDstUri)));
            methods.Add(new("Pipekit PG->DuckDB", Target.DuckDb, () => WorkerAsync(pgSrcUri, BenchData.SelectSql, duckDstUri)));
            methods.Add(new("Pipekit DuckDB->PG", Target.Postgres, () => WorkerAsync("duckdb://" + duckSrcPath + "?memory_limit=" + DuckDbMemoryLimit, BenchData.SelectSql, pgDstUri)));

            // --only keeps the methods whose names contain one of the given words (case-insensitive).
            if (only is not null)
                methods = methods.Where(m => only.Any(o => m.Name.Contains(o, StringComparison.OrdinalIgnoreCase))).ToList();
            if (!methods.Any(m => m.Name == "Pipekit PG->PG")) throw new ArgumentException("--only must keep Pipekit PG->PG, the baseline of the ratios");

            // One untimed round first: the first runs after the sources were generated were slower for whichever method
            // went first (2.9-3.0 s against 2.0-2.3 s later on a quiet machine), and the rotation below always starts
            // with Pipekit PG->PG. The warm-up gives every method's first run to the cluster's and the OS's caches.
            Console.WriteLine("  warm-up round (not counted)");
            foreach (var method in methods)
            {
                await ResetAsync(method.Target, cluster.ConnectionString(dstDb), duckDstPath);
                await method.Run();
            }
            for (var round = 0; round < rounds; round++)
            {
                // Rotate the order each round.
                var order = methods.Skip(round % methods.Count).Concat(methods.Take(round % methods.Count));
                foreach (var method in order)
                {
                    await ResetAsync(method.Target, cluster.ConnectionString(dstDb), duckDstPath);
                    var clock = Stopwatch.StartNew();
                    var report = await method.Run();
                    clock.Stop();
                    var count = await CountAsync(method.Target, cluster.ConnectionString(dstDb), duckDstPath);
                    if (count != rows) throw new InvalidOperationException($"{method.Name} loaded {count} rows, expected {rows}");
                    method.Seconds.Add(clock.Elapsed.TotalSeconds);
                    if (report is not null)
                    {
                        method.InnerSeconds.Add(report.Value.Seconds);
                        method.PeakKilobytes = Math.Max(method.PeakKilobytes, report.Value.PeakKilobytes);
                    }
                    Console.WriteLine($"  round {round + 1}: {method.Name,-36} {clock.Elapsed.TotalSeconds,8:F2} s");
                }
            }

            Print(rows, methods);
            if (breakdown) await TransferBreakdown.RunAsync(cluster, psql, srcDb, dstDb, rounds, work);
            return 0;
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); } catch (IOException) { }
        }
    }

    private static void Print(long rows, List<Method> methods)
    {
        Console.WriteLine();
        Console.WriteLine($"{"method",-36} {"median s",9} {"rows/s",12} {"in-process s",13} {"peak RSS",10}");
        foreach (var m in methods)
        {
            var inner = m.InnerSeconds.Count > 0 ? $"{Median(m.InnerSeconds),13:F2}" : $"{"",13}";
            var rss = m.PeakKilobytes > 0 ? $"{m.PeakKilobytes / 1024.0,7:F0} MB" : "";
            Console.WriteLine($"{m.Name,-36} {Median(m.Seconds),9:F2} {rows / Median(m.Seconds),12:N0} {inner} {rss,10}");
        }
        var pipekit = Median(methods[0].Seconds);
        Console.WriteLine();
        if (methods.FirstOrDefault(m => m.Name.StartsWith("psql", StringComparison.Ordinal)) is { } pipe)
            Console.WriteLine($"ratio Pipekit PG->PG : psql pipe  = {Median(pipe.Seconds) / pipekit:F2}x the pipe's speed (goal >= 0.9x)");
        if (methods.FirstOrDefault(m => m.Name.StartsWith("INSERT", StringComparison.Ordinal)) is { } insert)
            Console.WriteLine($"ratio Pipekit PG->PG : INSERT path = {Median(insert.Seconds) / pipekit:F2}x the INSERT path's speed (goal >= 2x)");
        var peak = methods.Max(m => m.PeakKilobytes);
        Console.WriteLine($"Pipekit PG->PG peak RSS at {rows:N0} rows: {methods[0].PeakKilobytes / 1024.0:F0} MB (goal < 200 MB at 10,000,000 rows, flat in N); " +
                          $"max over all Pipekit runs: {peak / 1024.0:F0} MB");
        Console.WriteLine("Times are wall-clock per run, including process start for Pipekit and psql; rows/s = rows / median.");
        Console.WriteLine($"DuckDB sources and destinations run with memory_limit={DuckDbMemoryLimit} (DuckDB's buffer pool, not Pipekit's heap).");
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<WorkerReport?> WorkerAsync(string source, string sql, string destination)
    {
        var output = await RunProcessAsync(WorkerCommand(), ["worker", "transfer", source, sql, destination, "bench_dst"]);
        var fields = output.Trim().Split('\n')[^1].Split(' ').Select(f => f.Split('=')).ToDictionary(f => f[0], f => f[1]);
        return new WorkerReport(double.Parse(fields["seconds"], CultureInfo.InvariantCulture), long.Parse(fields["vmhwm_kb"], CultureInfo.InvariantCulture));
    }

    internal static string WorkerCommand()
    {
        var self = Environment.ProcessPath!;
        return Path.GetFileNameWithoutExtension(self) == "Pipekit.Bench" ? self : Path.Combine(AppContext.BaseDirectory, "Pipekit.Bench");
    }

    private static async Task<WorkerReport?> PsqlPipeAsync(string psql, int port, string srcDb, string dstDb)
    {
        var common = $"-X -q -h 127.0.0.1 -p {port} -U postgres";
        var pipe = $"set -o pipefail; {psql} {common} -d {srcDb} -c \"\\copy ({BenchData.SelectSql}) TO STDOUT (FORMAT binary)\" " +
                   $"| {psql} {common} -d {dstDb} -c \"\\copy bench_dst FROM STDIN (FORMAT binary)\"";
        await RunProcessAsync("/bin/bash", ["-c", pipe]);
        return null;
    }

    private static async Task ResetAsync(Target target, string pg, string duckPath)
    {
        if (target == Target.Postgres) await ResetPostgresAsync(pg);
        else
        {
            await BenchData.DuckDbDestinationAsync(duckPath);
        }
        await WriteBackAsync();
    }

    /// <summary>
    /// The cluster runs with fsync off, so its checkpoint leaves the previous run's hundreds of megabytes as dirty pages
    /// that the kernel writes back during whichever run comes next; sync writes them before the clock starts.
    /// </summary>
    internal static Task WriteBackAsync() => RunProcessAsync("/bin/sync", []);

    internal static async Task ResetPostgresAsync(string pg)
    {
        await using var db = new NpgsqlConnection(pg);
        await db.OpenAsync();
        await using var command = new NpgsqlCommand("TRUNCATE bench_dst; CHECKPOINT", db);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(Target target, string pg, string duckPath)
    {
        System.Data.Common.DbConnection db = target == Target.Postgres ? new NpgsqlConnection(pg) : new DuckDBConnection($"Data Source={duckPath}");
        await using (db)
        {
            await db.OpenAsync();
            await using var command = db.CreateCommand();
            command.CommandText = "SELECT count(*) FROM bench_dst";
            command.CommandTimeout = 0;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
    }

    internal static async Task<string> RunProcessAsync(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} exited {process.ExitCode}: {await stderr}{await stdout}");
        return await stdout;
    }

    private enum Target { Postgres, DuckDb }

    private readonly record struct WorkerReport(double Seconds, long PeakKilobytes);

    private sealed class Method(string name, Target target, Func<Task<WorkerReport?>> run)
    {
        public string Name { get; } = name;
        public Target Target { get; } = target;
        public Func<Task<WorkerReport?>> Run { get; } = run;
        public List<double> Seconds { get; } = [];
        public List<double> InnerSeconds { get; } = [];
        public long PeakKilobytes { get; set; }
    }
}
