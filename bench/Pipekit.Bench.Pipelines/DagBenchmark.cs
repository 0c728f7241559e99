using System.Globalization;
using System.Text;
using Pipekit.Core.Configuration;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;

namespace Pipekit.Bench.Pipelines;

/// <summary>
/// A 200-task DAG of no-op shell tasks: segments of a 6-task chain, a fan-out of 4 and a join, so at most 4 tasks are ever
/// ready at once and parallelism 4 never queues one (what is measured is the hand-off, not waiting for a slot). Each task
/// records $EPOCHREALTIME (a bash builtin, no process) as its first and last act; the hand-off of a task that waited for
/// exactly one other is its first timestamp minus that task's last one: process exit, its detection, the scheduling
/// decision, the task's SDK socket, process start and bash start-up are all inside it.
/// </summary>
internal static class DagBenchmark
{
    private const int Tasks = 200;

    public static async Task RunAsync(string root)
    {
        var project = Path.Combine(root, "workspace", "projects", "handoff");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "noop.sh"), "echo \"start $EPOCHREALTIME\"\necho \"end $EPOCHREALTIME\"\n");
        var toml = new StringBuilder();
        var deps = new Dictionary<string, string[]>();
        string[] previous = [];
        var i = 0;
        string Add(string[] dependsOn)
        {
            var name = $"t{i++:000}";
            deps[name] = dependsOn;
            toml.Append(CultureInfo.InvariantCulture, $"[[tasks]]\nname = \"{name}\"\nscript = \"noop.sh\"\ndepends_on = [{string.Join(", ", dependsOn.Select(d => $"\"{d}\""))}]\n\n");
            return name;
        }
        while (i < Tasks)
        {
            for (var c = 0; c < 6 && i < Tasks; c++) previous = [Add(previous)];
            if (i + 5 > Tasks) continue;
            var head = previous;
            var fan = Enumerable.Range(0, 4).Select(_ => Add(head)).ToArray();
            previous = [Add(fan)];
        }
        await File.WriteAllTextAsync(Path.Combine(project, "pit.toml"), toml.ToString());

        var loaded = await new Workspace(Path.Combine(root, "workspace")).GetValidAsync("handoff", CancellationToken.None);
        var secrets = await SecretStore.LoadOrEmptyAsync(Path.Combine(root, "secrets.toml"), CancellationToken.None);
        var executor = new DagExecutor(secrets, DriverRegistry.CreateDefault(), Redactor.FromStore(secrets), TimeProvider.System, new PipekitConfig());

        // A warm-up run, so that JIT and the first process starts are not measured.
        await executor.ExecuteAsync(Plan(loaded, root, "warmup"), CancellationToken.None);
        var plan = Plan(loaded, root, "measured");
        var outcome = await executor.ExecuteAsync(plan, CancellationToken.None);
        if (outcome.Status != PipelineRunStatus.Success) throw new InvalidOperationException($"the benchmark DAG failed: {outcome.Detail}");

        var times = new Dictionary<string, (double Start, double End)>();
        foreach (var task in deps.Keys)
        {
            var lines = await File.ReadAllLinesAsync(plan.LogPath(task));
            times[task] = (Seconds(lines[0]), Seconds(lines[1]));
        }
        var handoffs = deps.Where(d => d.Value.Length == 1).Select(d => (times[d.Key].Start - times[d.Value[0]].End) * 1000).ToList();
        // Where a hand-off goes: the parent's exit seen by the executor, the scheduling decision, the child's process start.
        var results = outcome.Tasks.ToDictionary(t => t.Task);
        double Epoch(DateTimeOffset? at) => (at!.Value - DateTimeOffset.UnixEpoch).TotalSeconds;
        var single = deps.Where(d => d.Value.Length == 1).ToList();
        var exitSeen = single.Select(d => (Epoch(results[d.Value[0]].FinishedAt) - times[d.Value[0]].End) * 1000).ToList();
        var scheduled = single.Select(d => (Epoch(results[d.Key].StartedAt) - Epoch(results[d.Value[0]].FinishedAt)) * 1000).ToList();
        var started = single.Select(d => (times[d.Key].Start - Epoch(results[d.Key].StartedAt)) * 1000).ToList();
        var finish = new Dictionary<string, double>();
        foreach (var task in deps.Keys) // declaration order is a topological order here
            finish[task] = (deps[task].Length == 0 ? 0 : deps[task].Max(d => finish[d])) + (times[task].End - times[task].Start);
        var critical = finish.Values.Max() * 1000;
        var longestPath = LongestPath(deps);
        var wall = (outcome.FinishedAt - outcome.StartedAt).TotalMilliseconds;

        Console.WriteLine($"== pipelines: {Tasks}-task DAG of no-op .sh tasks (chains of 6, fans of 4), parallelism 4");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"hand-off latency ({handoffs.Count} single-dependency hand-offs, process start included): p50 {Percentiles.Of(handoffs, 50):0.0} ms, p99 {Percentiles.Of(handoffs, 99):0.0} ms, max {handoffs.Max():0.0} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"   of which (p50): exit seen {Percentiles.Of(exitSeen, 50):0.0} ms, scheduling {Percentiles.Of(scheduled, 50):0.0} ms, process and bash start {Percentiles.Of(started, 50):0.0} ms"));
        Console.WriteLine("   reference: Airflow's well-tuned floor between dependent tasks is about 4-6 s; goal p50 < 20 ms, p99 < 100 ms");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"whole run: wall {wall:0} ms (snapshot copy included) vs critical path of the tasks' own durations {critical:0.0} ms over {longestPath} tasks: overhead {wall - critical:0} ms, {(wall - critical) / longestPath:0.0} ms per task on the path"));
    }

    private static ExecutionPlan Plan(PitProject project, string root, string id) => new()
    {
        Project = project, RunId = id, RunDirectory = Path.Combine(root, "runs", id), MaxParallelTasks = 4,
    };

    private static double Seconds(string line) => double.Parse(line[(line.IndexOf(' ') + 1)..], CultureInfo.InvariantCulture);

    private static int LongestPath(Dictionary<string, string[]> deps)
    {
        var length = new Dictionary<string, int>();
        foreach (var task in deps.Keys) length[task] = 1 + (deps[task].Length == 0 ? 0 : deps[task].Max(d => length[d]));
        return length.Values.Max();
    }
}
