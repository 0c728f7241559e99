using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Sdk;

namespace Pipekit.Bench.Pipelines;

/// <summary>get_secret round trips over the SDK socket through the Python client (pit.sdk), with 1 and with 200 concurrent clients.</summary>
internal static class SdkBenchmark
{
    private const string Client = """
        import json, sys, threading, time
        from pit import sdk
        clients, total = int(sys.argv[1]), int(sys.argv[2])
        per = max(1, total // clients)
        latencies = []
        lock = threading.Lock()
        barrier = threading.Barrier(clients)
        def work():
            mine = []
            barrier.wait()
            for _ in range(per):
                t = time.perf_counter()
                assert sdk.get_secret("bench_secret") == "bench-secret-value"
                mine.append((time.perf_counter() - t) * 1000)
            with lock:
                latencies.extend(mine)
        threads = [threading.Thread(target=work) for _ in range(clients)]
        start = time.perf_counter()
        for t in threads: t.start()
        for t in threads: t.join()
        wall = time.perf_counter() - start
        print(json.dumps({"latencies": latencies, "wall": wall}))
        """;

    public static async Task RunAsync(string root, int requests)
    {
        var secretsPath = Path.Combine(root, "secrets.toml");
        await File.WriteAllTextAsync(secretsPath, "[bench]\nbench_secret = \"bench-secret-value\"\n");
        var secrets = await SecretStore.LoadAsync(secretsPath, CancellationToken.None);
        using var sockets = SdkSocketDirectory.Create();
        await using var server = new SdkServer(sockets.SocketFor(0), new SdkCaller("bench", "bench", "client"));
        SecretMethods.Register(server, secrets, null, TimeProvider.System);
        server.Start();
        var script = Path.Combine(root, "sdk_client.py");
        await File.WriteAllTextAsync(script, Client);

        Console.WriteLine($"== pipelines: SDK socket get_secret through the Python client ({requests} requests per row)");
        foreach (var clients in new[] { 1, 200 })
        {
            await RunClientAsync(script, server.SocketPath, clients, Math.Min(requests, 200)); // warm-up
            var (latencies, wall) = await RunClientAsync(script, server.SocketPath, clients, requests);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{clients,3} client(s): p50 {Percentiles.Of(latencies, 50):0.00} ms, p99 {Percentiles.Of(latencies, 99):0.00} ms, {latencies.Count / wall:0} requests/s"));
        }
    }

    private static async Task<(List<double> Latencies, double Wall)> RunClientAsync(string script, string socket, int clients, int requests)
    {
        var start = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(clients.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(requests.ToString(CultureInfo.InvariantCulture));
        start.Environment["PIT_SOCKET"] = socket;
        start.Environment["PYTHONPATH"] = PythonSdk.Directory;
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"the Python client failed: {error}");
        using var json = JsonDocument.Parse(output);
        var latencies = json.RootElement.GetProperty("latencies").EnumerateArray().Select(e => e.GetDouble()).ToList();
        return (latencies, json.RootElement.GetProperty("wall").GetDouble());
    }
}
