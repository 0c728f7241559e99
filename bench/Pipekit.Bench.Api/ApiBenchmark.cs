using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Pipekit.Core.Configuration;
using Pipekit.Core.State;

namespace Pipekit.Bench.Api;

/// <summary>
/// <c>./bench.sh api [seconds] [clients] [routes] [--churn MS]</c>: seeds 1,000 modules and 200,000 run_log rows into a SQLite state
/// store, starts <c>pipekit serve</c> on it as its own process, then runs 50 concurrent clients for 30 s against
/// <c>GET /api/runs?limit=50</c>, <c>GET /api/modules</c>, <c>GET /api/runs/{id}</c> and the dashboard page <c>GET /</c>
/// (reached with the same Basic credentials), and prints p50/p95/p99 latency and requests/s per route, with the
/// server's CPU time per request. Goals: p99 under 50 ms for each API route; p95 under 100 ms for a page (issue 11).
/// </summary>
internal static class ApiBenchmark
{
    private const double GoalP99Ms = 50;
    private const double PageGoalP95Ms = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        // --churn MS: a module is edited through the API every MS milliseconds while the clients run, so that
        // cached module pages keep being invalidated and listings read the store.
        TimeSpan? churn = null;
        var at = Array.IndexOf(args, "--churn");
        if (at >= 0)
        {
            if (at + 1 >= args.Length) throw new ArgumentException("--churn needs a number of milliseconds");
            churn = TimeSpan.FromMilliseconds(int.Parse(args[at + 1], CultureInfo.InvariantCulture));
            args = [.. args[..at], .. args[(at + 2)..]];
        }
        var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
        var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50;
        string[] routes = args.Length > 2 ? args[2].Split(',') : ["/api/runs?limit=50", "/api/modules", "/api/runs/{id}", "/"];
        var pipekit = Environment.GetEnvironmentVariable("PIPEKIT_BIN")
            ?? throw new InvalidOperationException("PIPEKIT_BIN must name the pipekit binary; run this through bench/api.sh");
        var root = Path.Combine(Path.GetTempPath(), "pipekit-bench-api-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var home = new PipekitHome(root);
            // PIPEKIT_STATE_URL (set by bench/api.sh --store postgres) puts the state in PostgreSQL; the server inherits it.
            var environment = PipekitEnvironment.Create(home, new PipekitConfig(), home.DefaultSecretsPath);
            var clock = Stopwatch.StartNew();
            await BenchStore.SeedAsync(environment, CancellationToken.None);
            var where = environment.StateKind == StoreKind.Postgres ? $"postgres store {environment.Config.State.Url}" : $"sqlite store {environment.StatePath}";
            Console.WriteLine($"seeded {BenchStore.Modules:N0} modules and {BenchStore.Runs:N0} runs in {clock.Elapsed.TotalSeconds:0.0} s ({where})");

            await using var server = ServerProcess.Start(pipekit, root, FreePort());
            using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = clients, PooledConnectionLifetime = TimeSpan.FromMinutes(10) })
            {
                BaseAddress = new Uri($"http://127.0.0.1:{server.Port}"),
            };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BenchStore.User}:{BenchStore.Password}")));
            await WaitForHealthAsync(http, server);

            var load = new LoadGenerator(http, routes, clients);
            // Warm-up: JIT and tiering, connection pools, the credential cache.
            await load.RunAsync(TimeSpan.FromSeconds(5));
            Console.WriteLine($"pipekit serve (pid log {server.LogPath}); {clients} clients for {seconds} s …");
            using var stopChurn = new CancellationTokenSource();
            var edits = churn is { } every ? ChurnAsync(http, every, stopChurn.Token) : Task.FromResult(0);
            var cpuBefore = server.CpuTime;
            var results = await load.RunAsync(TimeSpan.FromSeconds(seconds));
            var serverCpu = server.CpuTime - cpuBefore;
            await stopChurn.CancelAsync();
            if (churn is not null) Console.WriteLine($"{await edits:N0} module edits during the run (one every {churn.Value.TotalMilliseconds:0} ms)");

            Console.WriteLine();
            Console.WriteLine($"{"route",-22} {"requests",10} {"req/s",9} {"p50 ms",8} {"p95 ms",8} {"p99 ms",8} {"max ms",8} {"errors",7}  goal");
            var ok = true;
            foreach (var route in routes)
            {
                var r = results[route];
                var page = !route.StartsWith("/api/", StringComparison.Ordinal);
                var (p95, p99) = (r.Percentile(0.95), r.Percentile(0.99));
                var met = (page ? p95 < PageGoalP95Ms : p99 < GoalP99Ms) && r.Errors == 0;
                ok &= met;
                var goal = page ? $"p95 < {PageGoalP95Ms} ms (page)" : $"p99 < {GoalP99Ms} ms";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{route,-22} {r.Count,10:N0} {r.Count / (double)seconds,9:N0} {r.Percentile(0.5),8:0.00} {p95,8:0.00} {p99,8:0.00} {r.Max,8:0.00} {r.Errors,7}  {goal} {(met ? "met" : "MISSED")}"));
            }
            var total = results.Values.Sum(r => r.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"all",-22} {total,10:N0} {total / (double)seconds,9:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server CPU {serverCpu.TotalSeconds:0.0} s of {seconds * Environment.ProcessorCount} s available ({serverCpu.TotalMilliseconds / Math.Max(1, total):0.000} ms per request); load generator CPU {Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds:0.0} s in all"));
            return ok ? 0 : 1;
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    // Edits module 1's notes over and over; each edit bumps the module change version.
    private static async Task<int> ChurnAsync(HttpClient http, TimeSpan every, CancellationToken cancellationToken)
    {
        var edits = 0;
        try
        {
            while (true)
            {
                await Task.Delay(every, cancellationToken);
                using var body = new StringContent($"{{\"notes\":\"edit {edits}\"}}", Encoding.UTF8, "application/json");
                using var response = await http.PostAsync("/api/modules/1", body, cancellationToken);
                response.EnsureSuccessStatusCode();
                edits++;
            }
        }
        catch (OperationCanceledException)
        {
            return edits;
        }
    }

    private static async Task WaitForHealthAsync(HttpClient http, ServerProcess server)
    {
        for (var i = 0; i < 300; i++)
        {
            if (server.HasExited) throw new InvalidOperationException($"pipekit serve exited before it answered; see {server.LogPath}");
            try
            {
                if ((await http.GetAsync("/health")).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("pipekit serve did not answer /health within 30 s");
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
