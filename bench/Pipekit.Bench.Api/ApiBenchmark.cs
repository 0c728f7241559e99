using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core;
using Pipekit.Core.Auth;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Server;
using Pipekit.Sync;
using Pipekit.Sync.Modules;

namespace Pipekit.Bench.Api;

/// <summary>
/// <c>./bench.sh api</c>: seeds 1,000 modules and 200,000 run_log rows into a SQLite state store, serves the API on
/// loopback, then runs 50 concurrent clients for 30 s against <c>GET /api/runs?limit=50</c>, <c>GET /api/modules</c> and
/// <c>GET /api/runs/{id}</c>, and prints p50/p99 latency and requests/s per route. Goal: p99 under 50 ms for each.
/// </summary>
internal static class ApiBenchmark
{
    private const int Modules = 1_000;
    private const int Runs = 200_000;
    private const string User = "bench";
    private const string Password = "bench-password-1";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        var root = Path.Combine(Path.GetTempPath(), "pipekit-bench-api-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var home = new PipekitHome(root);
            var port = FreePort();
            var config = new PipekitConfig { Server = new ServerOptions { Host = "127.0.0.1", Port = port }, Scheduler = new SchedulerOptions { Enabled = false } };
            var environment = new PipekitEnvironment(home, config, home.DefaultSecretsPath);
            var secrets = await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, CancellationToken.None);

            var clock = Stopwatch.StartNew();
            await SeedAsync(environment, secrets);
            Console.WriteLine($"seeded {Modules:N0} modules and {Runs:N0} runs in {clock.Elapsed.TotalSeconds:0.0} s ({environment.StatePath})");

            using var stop = new CancellationTokenSource();
            var server = Task.Run(() => PipekitServer.RunAsync(environment, secrets, null, stop.Token));
            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}")));
            await WaitForHealthAsync(http, server);

            string[] routes = ["/api/runs?limit=50", "/api/modules", "/api/runs/{id}"];
            // Warm-up: JIT, connection pool, the credential cache.
            await LoadAsync(http, routes, clients, TimeSpan.FromSeconds(3));
            Console.WriteLine($"{clients} clients for {seconds} s …");
            var results = await LoadAsync(http, routes, clients, TimeSpan.FromSeconds(seconds));

            Console.WriteLine();
            Console.WriteLine($"{"route",-22} {"requests",10} {"req/s",9} {"p50 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7}  goal p99 < 50 ms");
            var ok = true;
            foreach (var route in routes)
            {
                var r = results[route];
                var p99 = Percentile(r.Latencies, 0.99);
                ok &= p99 < 50 && r.Errors == 0;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{route,-22} {r.Latencies.Count,10:N0} {r.Latencies.Count / (double)seconds,9:N0} {Percentile(r.Latencies, 0.5),8:0.00} {p99,8:0.00} {r.Latencies.Max(),8:0.00} {r.Errors,7}  {(p99 < 50 ? "met" : "MISSED")}"));
            }
            var total = results.Values.Sum(r => r.Latencies.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"all",-22} {total,10:N0} {total / (double)seconds,9:N0}"));

            await stop.CancelAsync();
            await server;
            return ok ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<Dictionary<string, RouteResult>> LoadAsync(HttpClient http, string[] routes, int clients, TimeSpan duration)
    {
        var results = routes.ToDictionary(r => r, _ => new RouteResult());
        var end = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = Enumerable.Range(0, clients).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker);
            var local = routes.ToDictionary(r => r, _ => new RouteResult());
            var i = worker;
            while (Stopwatch.GetTimestamp() < end)
            {
                var route = routes[i++ % routes.Length];
                var path = route.Replace("{id}", (1 + random.Next(Runs)).ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                    await response.Content.ReadAsByteArrayAsync();
                    if (!response.IsSuccessStatusCode) local[route].Errors++;
                }
                catch (HttpRequestException)
                {
                    local[route].Errors++;
                }
                local[route].Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
            return local;
        })).ToList();
        foreach (var local in await Task.WhenAll(workers))
            foreach (var (route, r) in local)
            {
                results[route].Latencies.AddRange(r.Latencies);
                results[route].Errors += r.Errors;
            }
        return results;
    }

    private static async Task SeedAsync(PipekitEnvironment environment, SecretStore secrets)
    {
        await using var services = new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitSync().BuildServiceProvider();
        var store = services.GetRequiredService<StateStore>();
        await store.InitializeAsync(CancellationToken.None);
        await services.GetRequiredService<Credentials>().SetAsync(User, Password, CancellationToken.None);
        var connections = services.GetRequiredService<ConnectionRepository>();
        var source = await connections.AddAsync(new ConnectionRecord { Name = "source", Driver = "sqlite", Url = "sqlite::memory:" }, CancellationToken.None);
        var dest = await connections.AddAsync(new ConnectionRecord { Name = "dest", Driver = "sqlite", Url = "sqlite::memory:" }, CancellationToken.None);
        var modules = Enumerable.Range(1, Modules).Select(i => new Module
        {
            Name = $"module_{i:D4}", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = $"warehouse.table_{i:D4}",
            SourceQuery = $"SELECT id, name, amount, updated_at FROM source_table_{i:D4} WHERE updated_at > {{since}}",
            MergeStrategy = MergeStrategy.Incremental, MergeKey = "id",
            Columns = [new("id", "INTEGER", "id", "INTEGER"), new("name", "VARCHAR(40)", "name", "TEXT"), new("amount", "DECIMAL(12,2)", "amount", "NUMERIC"),
                new("updated_at", "TIMESTAMP", "updated_at", "TIMESTAMP")],
            Watermarks = [new Watermark { Name = "since", ConnectionId = dest.Id, ResolverSql = $"SELECT max(updated_at) FROM warehouse.table_{i:D4}", DefaultValue = "'1970-01-01'" }],
        }).ToList();
        await services.GetRequiredService<ModuleRepository>().SaveAllAsync(modules, CancellationToken.None);

        // 200,000 history rows go in with one prepared INSERT in one transaction: through the run-log repository
        // (two connections per run) seeding alone would take minutes. The rows look like the engine's.
        await using var c = await store.OpenAsync(CancellationToken.None);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync();
        await using var insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = """
            INSERT INTO run_log (module_id, started_at, finished_at, duration_ms, row_count, status, error, triggered_by, resolved_source_sql,
                                 merge_sql, watermark_values_json, transfer_log, live_log)
            VALUES ($m, $s, $f, $d, $r, $st, $e, 'schedule:1', $sql, $merge, $wm, $tl, $live)
            """;
        var p = new[] { "$m", "$s", "$f", "$d", "$r", "$st", "$e", "$sql", "$merge", "$wm", "$tl", "$live" }
            .ToDictionary(n => n, n => insert.Parameters.Add(new SqliteParameter { ParameterName = n }));
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < Runs; i++)
        {
            var module = 1 + i % Modules;
            var began = start.AddSeconds(i * 30);
            var failed = i % 50 == 0;
            p["$m"].Value = module;
            p["$s"].Value = StateClock.Format(began);
            p["$f"].Value = StateClock.Format(began.AddSeconds(2));
            p["$d"].Value = 2000;
            p["$r"].Value = i % 5000;
            p["$st"].Value = failed ? "error" : "success";
            p["$e"].Value = failed ? "watermark 'since': resolver failed: no such table" : DBNull.Value;
            p["$sql"].Value = $"SELECT id, name, amount, updated_at FROM source_table_{module:D4} WHERE updated_at > '2026-01-01 00:00:00'";
            p["$merge"].Value = $"DELETE FROM \"warehouse\".\"table_{module:D4}\" WHERE EXISTS (SELECT 1 FROM \"pipekit_staging\".\"module_{module:D4}\" s WHERE s.\"id\" = \"warehouse\".\"table_{module:D4}\".\"id\");\nINSERT INTO \"warehouse\".\"table_{module:D4}\" (\"id\", \"name\", \"amount\", \"updated_at\") SELECT \"id\", \"name\", \"amount\", \"updated_at\" FROM \"pipekit_staging\".\"module_{module:D4}\";";
            p["$wm"].Value = "{\"since\":\"'2026-01-01 00:00:00'\"}";
            p["$tl"].Value = $"{i % 5000} rows from source into pipekit_staging.module_{module:D4} in 1.234 s";
            p["$live"].Value = "watermark since = '2026-01-01 00:00:00'\ntransfer: source → dest\nmerge committed\n";
            await insert.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
    }

    private static async Task WaitForHealthAsync(HttpClient http, Task server)
    {
        for (var i = 0; i < 300; i++)
        {
            if (server.IsCompleted) await server;
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("the server did not answer /health");
    }

    private static double Percentile(List<double> values, double p)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.ToArray();
        Array.Sort(sorted);
        return sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class RouteResult
    {
        public List<double> Latencies { get; } = [];
        public long Errors { get; set; }
    }
}
