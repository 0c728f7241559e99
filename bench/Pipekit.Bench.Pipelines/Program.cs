using Pipekit.Bench.Pipelines;

// ./bench.sh pipelines [--sdk-requests N]
// 1. hand-off latency of a 200-task DAG of no-op .sh tasks (chains and fans, parallelism 4)
// 2. whole-run overhead of that DAG against the critical path of its tasks' own durations
// 3. SDK socket get_secret round trips with 1 and 200 concurrent Python clients
var requests = 2000;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--sdk-requests" && i + 1 < args.Length && int.TryParse(args[++i], out var n) && n > 0) requests = n;
    else
    {
        Console.Error.WriteLine("usage: ./bench.sh pipelines [--sdk-requests N]");
        return 2;
    }
}
var root = Path.Combine(Path.GetTempPath(), "pipekit-bench-pipelines-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
try
{
    await DagBenchmark.RunAsync(root);
    await SdkBenchmark.RunAsync(root, requests);
    return 0;
}
finally
{
    Directory.Delete(root, recursive: true);
}
