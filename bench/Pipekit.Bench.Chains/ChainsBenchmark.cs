using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Pipekit.Chains;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Layers;
using Pipekit.Chains.Planning;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Server;
using Pipekit.Testing;

namespace Pipekit.Bench.Chains;

/// <summary>
/// Chains on PostgreSQL (a throwaway cluster): a 20-step chain whose seed loads N rows, run cold (everything replayed),
/// warm (a hit: clone the tail layer, run the head) and with step 19 changed (clone layer 18, replay one step); then a
/// small 10-step project through <c>POST /v1/jobs</c> of a real <c>pipekit serve</c> (in process, over HTTP) 50 times.
/// </summary>
internal static class ChainsBenchmark
{
    public static async Task<int> RunAsync(long rows, CancellationToken ct)
    {
        Console.WriteLine($"chains benchmark: 20-step chain with a {rows:N0}-row seed on PostgreSQL 15 (throwaway cluster), publish = every_step");
        await using var cluster = await PostgresCluster.StartAsync(ct);
        using var home = new TempDirectory();
        var config = new PipekitConfig { Chains = new ChainsOptions { Postgres = cluster.Uri("postgres") }, Scheduler = new SchedulerOptions { Enabled = false } };
        var environment = new PipekitEnvironment(new PipekitHome(home.Path), config, Path.Combine(home.Path, "secrets.toml"));
        var secrets = await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, ct);
        await using var services = new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitChains().BuildServiceProvider();
        await services.GetRequiredService<StateStore>().InitializeAsync(ct);
        var runner = services.GetRequiredService<ChainRunner>();
        var observer = new SilentObserver();
        var vars = new Dictionary<string, object?> { ["limit"] = 10 };
        var instance = 0;

        async Task<(double Ms, ChainRunOutcome Outcome)> RunOnce(Pipekit.Chains.Projects.ProjectTree tree)
        {
            var clock = Stopwatch.StartNew();
            var outcome = await runner.RunAsync(new ChainRunRequest(ChainOrder.Plan(tree, "test/20_head.sql"), "postgres", vars, null, $"pkj_bench{++instance}"), observer, ct);
            return (clock.Elapsed.TotalMilliseconds, outcome);
        }

        var (cold, coldOutcome) = await RunOnce(BenchProjects.Large(rows));
        var warms = new List<double>();
        var warmStages = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            var (ms, outcome) = await RunOnce(BenchProjects.Large(rows));
            warms.Add(ms);
            warmStages.Add($"{Ms(ms)}: {Stages(outcome)}");
        }
        var branches = new List<double>();
        ChainRunOutcome? branchOutcome = null;
        for (var i = 0; i < 3; i++)
        {
            var (ms, outcome) = await RunOnce(BenchProjects.Large(rows, $"insert into note values ('branch {i}');"));
            branches.Add(ms);
            branchOutcome = outcome;
        }
        var layers = await services.GetRequiredService<ILayerCatalog>().ListAsync("postgres", ct);

        var warm = Median(warms);
        var branch = Median(branches);
        Console.WriteLine();
        Console.WriteLine($"{"case",-34} {"latency",12} {"of cold",9}  goal");
        Console.WriteLine($"{"cold (replay 19 steps + head)",-34} {Ms(cold),12} {"100%",9}  (replays {coldOutcome.Tail.ReplayedSteps} steps)");
        Console.WriteLine($"{"warm (hit, head only), median of 5",-34} {Ms(warm),12} {Pct(warm, cold),9}  <= 5%   {(warm <= cold * 0.05 ? "met" : "NOT met")}");
        Console.WriteLine($"{"branch at step 19, median of 3",-34} {Ms(branch),12} {Pct(branch, cold),9}  <= 15%  {(branch <= cold * 0.15 ? "met" : "NOT met")}  (replays {branchOutcome!.Tail.ReplayedSteps} step)");
        Console.WriteLine($"stages cold:   {Stages(coldOutcome)}");
        foreach (var line in warmStages) Console.WriteLine($"stages warm:   {line}");
        Console.WriteLine($"layers: {layers.Count}, {layers.Sum(l => l.SizeBytes) / (1024.0 * 1024):N1} MiB in total; the seed layer {layers.Where(l => l.StepIndex == 1).Sum(l => l.SizeBytes) / (1024.0 * 1024):N1} MiB");

        return await SmallProjectAsync(environment, secrets, ct);
    }

    private static async Task<int> SmallProjectAsync(PipekitEnvironment environment, SecretStore secrets, CancellationToken ct)
    {
        var port = FreePort.Next();
        using var stop = new CancellationTokenSource();
        var server = PipekitServer.RunAsync(environment, secrets, new ServerOptions { Host = "127.0.0.1", Port = port }, stop.Token);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        for (var i = 0; i < 200; i++)
        {
            try { if ((await http.GetAsync("/health", ct)).IsSuccessStatusCode) break; } catch (HttpRequestException) { }
            await Task.Delay(50, ct);
        }

        var tree = BenchProjects.Small().ToDictionary(f => f.Key, f => (object)new { content = f.Value });
        async Task<(double Ms, JsonNode Job)> JobAsync(int top)
        {
            var clock = Stopwatch.StartNew();
            var created = await http.PostAsJsonAsync("/v1/jobs", new { project_tree = tree, head_path = "test/10_head.sql", variables = new { top }, engine = "postgres" }, ct);
            created.EnsureSuccessStatusCode();
            var id = (long)(await created.Content.ReadFromJsonAsync<JsonNode>(ct))!["id"]!;
            while (true)
            {
                var job = (await http.GetFromJsonAsync<JsonNode>($"/v1/jobs/{id}", ct))!;
                var status = (string)job["status"]!;
                if (status is "completed") return (clock.Elapsed.TotalMilliseconds, job);
                if (status is "failed" or "canceled") throw new InvalidOperationException($"job {id} {status}: {job["error"]}");
                await Task.Delay(2, ct);
            }
        }

        var (coldMs, _) = await JobAsync(5);
        var times = new List<double>();
        JsonNode? last = null;
        for (var i = 0; i < 50; i++)
        {
            var (ms, job) = await JobAsync(1 + i % 20);
            times.Add(ms);
            last = job;
        }
        times.Sort();
        var p50 = Percentile(times, 0.50);
        var p99 = Percentile(times, 0.99);
        Console.WriteLine();
        Console.WriteLine("small project (10 steps, no bulk data) through POST /v1/jobs + GET polling until completed, over HTTP:");
        Console.WriteLine($"  cold {Ms(coldMs)}; warm x50: p50 {Ms(p50)}, p99 {Ms(p99)}  goal p50 < 100 ms  {(p50 < 100 ? "met" : "NOT met")}");
        Console.WriteLine($"  stages of the last warm job: {string.Join(", ", last!["progress"]!["stages"]!.AsArray().Select(s => $"{s!["stage"]} {s["duration_ms"]} ms"))}");
        await stop.CancelAsync();
        await server;
        return 0;
    }

    private static string Stages(ChainRunOutcome o) => string.Join(", ", o.Stages.Select(s => $"{s.Stage} {s.DurationMs} ms"));

    private static double Median(List<double> values) => Percentile(values.Order().ToList(), 0.5);

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Ms(double ms) => ms.ToString("N1", CultureInfo.InvariantCulture) + " ms";

    private static string Pct(double part, double whole) => (100 * part / whole).ToString("N1", CultureInfo.InvariantCulture) + "%";

    private sealed class SilentObserver : IChainRunObserver
    {
        public Task StatusAsync(string status, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StageAsync(string stage, CancellationToken cancellationToken) => Task.CompletedTask;
        public Task LogAsync(string line, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
