using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Pipekit.Core.Configuration;
using Pipekit.Core.State;

namespace Pipekit.Bench.Api;

/// <summary>
/// <c>./bench.sh api [seconds] [clients] [routes] [--clients N] [--churn MS] [--home DIR]</c>: seeds 1,000 modules and
/// 200,000 run_log rows into the state store, starts <c>pipekit serve --server-timing</c> on it as its own process, then
/// runs 8 concurrent clients (by default) for 30 s against <c>GET /api/runs?limit=50</c>, <c>GET /api/modules</c>,
/// <c>GET /api/runs/{id}</c> and the dashboard page <c>GET /</c> (reached with the same Basic credentials), and prints
/// per route the requests/s, p50/p95/p99 latency as the client saw it and as the server measured it (its
/// <c>Server-Timing</c> header), with the CPU time per request of the server and of the load generator. Goals, on the
/// server's own time: p99 under 50 ms for each API route; p95 under 100 ms for a page (issue 11).
/// </summary>
internal static class ApiBenchmark
{
    private const double GoalP99Ms = 50;
    private const double PageGoalP95Ms = 100;
    private const int DefaultClients = 8;

    public static async Task<int> RunAsync(string[] args)
    {
        // --churn MS: a module is edited through the API every MS milliseconds while the clients run, so that
        // cached module pages keep being invalidated and listings read the store.
        var churnText = TakeOption(ref args, "--churn");
        TimeSpan? churn = churnText is null ? null : TimeSpan.FromMilliseconds(Number(churnText, "--churn"));
        // --clients N: as the second positional argument. Few clients keep the load generator from taking the cores the
        // server needs (both run on this machine); the server-side figures are the ones the goals are judged on.
        var clientsText = TakeOption(ref args, "--clients");
        // --home DIR: keep the seeded store in DIR and reuse it on the next run (SQLite store), instead of a temporary one.
        var keptHome = TakeOption(ref args, "--home");
        if (args.FirstOrDefault(a => a.StartsWith("--", StringComparison.Ordinal)) is { } unknown)
            throw new ArgumentException($"unknown option '{unknown}'; the options are --clients N, --churn MS, --home DIR and --store (bench/api.sh)");
        var seconds = args.Length > 0 ? Number(args[0], "seconds") : 30;
        var clients = clientsText is not null ? Number(clientsText, "--clients") : args.Length > 1 ? Number(args[1], "clients") : DefaultClients;
        string[] routes = args.Length > 2 ? args[2].Split(',') : ["/api/runs?limit=50", "/api/modules", "/api/runs/{id}", "/"];
        var pipekit = Environment.GetEnvironmentVariable("PIPEKIT_BIN")
            ?? throw new InvalidOperationException("PIPEKIT_BIN must name the pipekit binary; run this through bench/api.sh");
        var root = keptHome is not null ? Path.GetFullPath(keptHome) : Path.Combine(Path.GetTempPath(), "pipekit-bench-api-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            var home = new PipekitHome(root);
            // PIPEKIT_STATE_URL (set by bench/api.sh --store postgres) puts the state in PostgreSQL; the server inherits it.
            var environment = PipekitEnvironment.Create(home, new PipekitConfig(), home.DefaultSecretsPath);
            var clock = Stopwatch.StartNew();
            var seeded = await BenchStore.SeedAsync(environment, CancellationToken.None);
            var where = environment.StateKind == StoreKind.Postgres ? $"postgres store {environment.Config.State.Url}" : $"sqlite store {environment.StatePath}";
            Console.WriteLine(seeded
                ? $"seeded {BenchStore.Modules:N0} modules and {BenchStore.Runs:N0} runs in {clock.Elapsed.TotalSeconds:0.0} s ({where})"
                : $"reusing the seeded {where}");

            await using var server = ServerProcess.Start(pipekit, root, FreePort(), "--server-timing");
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
            Console.WriteLine($"pipekit serve --server-timing (pid {server.Id}, log {server.LogPath}); {clients} clients for {seconds} s …");
            using var stopChurn = new CancellationTokenSource();
            var edits = churn is { } every ? ChurnAsync(http, every, stopChurn.Token) : Task.FromResult(0);
            var cpuBefore = server.CpuTime;
            var generatorBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var results = await load.RunAsync(TimeSpan.FromSeconds(seconds));
            var serverCpu = server.CpuTime - cpuBefore;
            await stopChurn.CancelAsync();
            if (churn is not null) Console.WriteLine($"{await edits:N0} module edits during the run (one every {churn.Value.TotalMilliseconds:0} ms)");

            Console.WriteLine();
            Console.WriteLine("                                   ---- client (ms) ----   --- server (ms) ---");
            Console.WriteLine($"{"route",-22} {"requests",8} {"req/s",6} {"p50",6} {"p95",6} {"p99",6} {"p50",6} {"p95",6} {"p99",6} {"errors",6}  goal (server time)");
            var ok = true;
            foreach (var route in routes)
            {
                var r = results[route];
                var page = !route.StartsWith("/api/", StringComparison.Ordinal);
                var (p95, p99) = (r.ServerPercentile(0.95), r.ServerPercentile(0.99));
                var met = (page ? p95 < PageGoalP95Ms : p99 < GoalP99Ms) && r.Errors == 0 && r.ServerCount == r.Count;
                ok &= met;
                var goal = page ? $"p95 < {PageGoalP95Ms} ms (page)" : $"p99 < {GoalP99Ms} ms";
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{route,-22} {r.Count,8:N0} {r.Count / (double)seconds,6:N0} {r.Percentile(0.5),6:0.0} {r.Percentile(0.95),6:0.0} {r.Percentile(0.99),6:0.0} {r.ServerPercentile(0.5),6:0.0} {p95,6:0.0} {p99,6:0.0} {r.Errors,6}  {goal} {(met ? "met" : "MISSED")}"));
                if (r.ServerCount != r.Count) Console.WriteLine($"  {r.Count - r.ServerCount} answers of {route} had no Server-Timing header");
            }
            var total = results.Values.Sum(r => r.Count);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{"all",-22} {total,8:N0} {total / (double)seconds,6:N0}"));
            var generator = Process.GetCurrentProcess().TotalProcessorTime - generatorBefore;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"server CPU {serverCpu.TotalSeconds:0.0} s of {seconds * Environment.ProcessorCount} s available ({serverCpu.TotalMilliseconds / Math.Max(1, total):0.000} ms per request); load generator CPU {generator.TotalSeconds:0.0} s ({generator.TotalMilliseconds / Math.Max(1, total):0.000} ms per request)"));
            return ok ? 0 : 1;
        }
        finally
        {
            if (keptHome is null)
            {
                try { Directory.Delete(root, recursive: true); } catch (IOException) { }
            }
        }
    }

    // Removes "--name value" from args and returns the value (null when absent).
    private static string? TakeOption(ref string[] args, string name)
    {
        var at = Array.IndexOf(args, name);
        if (at < 0) return null;
        if (at + 1 >= args.Length) throw new ArgumentException($"{name} needs a value");
        var value = args[at + 1];
        args = [.. args[..at], .. args[(at + 2)..]];
        return value;
    }

    private static int Number(string text, string what) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : throw new ArgumentException($"{what} must be a positive whole number, not '{text}'");

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
