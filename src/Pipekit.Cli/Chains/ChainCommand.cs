using System.CommandLine;
using System.Globalization;
using Pipekit.Chains.Collection;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Layers;
using Pipekit.Chains.Planning;
using Pipekit.Chains.Projects;
using Pipekit.Cli.Hosting;

namespace Pipekit.Cli.Chains;

/// <summary><c>pipekit chain run|plan|layers</c>: SQL chains replayed on cached snapshot layers.</summary>
internal sealed class ChainCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("chain", "SQL chains: replay a tree of SQL files on cached snapshots (layers) and run one file (the head)");
        command.Subcommands.Add(BuildRun(runner));
        command.Subcommands.Add(BuildPlan(runner));
        command.Subcommands.Add(BuildLayers(runner));
        return command;
    }

    private static Argument<string> DirectoryArgument() => new("dir") { Description = "The project directory (a tree of .sql files, optionally with chain.toml)" };

    private static Option<string> HeadOption() => new("--head") { Description = "The file to run, relative to the project (the steps before it are the tail)", Required = true };

    private static Option<string?> EngineOption() => new("--engine")
    {
        Description = "postgres (the [chains].postgres server), a postgres://… URI, duckdb or sqlite (default: postgres when configured, else duckdb)",
    };

    private static Command BuildRun(CommandRunner runner)
    {
        var dir = DirectoryArgument();
        var head = HeadOption();
        var engine = EngineOption();
        var variables = new Option<string[]>("--var") { Description = "A head variable as NAME=VALUE, used as @NAME (repeatable); integers and true/false are typed", AllowMultipleArgumentsPerToken = false };
        var timeout = new Option<int?>("--timeout-ms") { Description = "Stop the run after this many milliseconds" };
        var json = new Option<bool>("--json") { Description = "Print the result and snapshot as JSON" };
        var command = new Command("run", "Run the head of a chain: find the tail's snapshot (or replay it), clone it, run the head, print its result")
            { dir, head, engine, variables, timeout, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var tree = await ProjectTree.ReadDirectoryAsync(ctx.Value(dir), ct);
            var plan = ChainOrder.Plan(tree, ctx.Value(head));
            var chainRunner = await ctx.ReadyAsync<ChainRunner>(ct);
            var observer = new ConsoleObserver(ctx.Error, ctx.Verbose);
            var outcome = await chainRunner.RunAsync(
                new ChainRunRequest(plan, ctx.Value(engine), ParseVariables(ctx.Value(variables)), ctx.Value(timeout), "pkj_cli_" + Guid.NewGuid().ToString("N")[..12]),
                observer, ct);
            await chainRunner.DrainAsync(); // the instance is dropped just after the run returns; do not exit before
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, new
                {
                    rows = new { columns = outcome.Result.Columns, rows = outcome.Result.Rows, row_count = outcome.Result.RowCount },
                    snapshot = new { tail_hash = outcome.Tail.TailHash, layer_id = outcome.Tail.Layer?.Id, hit = outcome.Tail.Hit, miss = outcome.Tail.Miss },
                    stages = outcome.Stages,
                }, ct);
                return ExitCodes.Success;
            }
            await ResultTable.WriteAsync(ctx.Out, outcome.Result);
            await ctx.Out.WriteLineAsync($"snapshot: {(outcome.Tail.Hit ? "hit" : "miss")} (tail_hash {outcome.Tail.TailHash})"
                + (outcome.Tail.Miss is { } miss ? $"; {miss.Kind}: {miss.Detail}" : "")
                + (outcome.Tail.ReplayedSteps > 0 ? $"; replayed {outcome.Tail.ReplayedSteps} step(s)" : ""));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildPlan(CommandRunner runner)
    {
        var dir = DirectoryArgument();
        var head = HeadOption();
        var engine = EngineOption();
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON" };
        var command = new Command("plan", "Show the chain's steps, each step's state hash, which layers are cached, and why the first uncached step misses")
            { dir, head, engine, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var tree = await ProjectTree.ReadDirectoryAsync(ctx.Value(dir), ct);
            var report = await (await ctx.ReadyAsync<ChainPlanner>(ct)).PlanAsync(tree, ctx.Value(head), ctx.Value(engine), ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, report, ct);
                return ExitCodes.Success;
            }
            await ctx.Out.WriteLineAsync($"engine {report.Engine}, S0 {report.BaseHash[..16]}");
            foreach (var step in report.Steps)
                await ctx.Out.WriteLineAsync($"  {step.Index + 1,3}. {step.Role,-4} {step.StateHash[..16]}  {(step.Role == "head" ? "(runs in the instance)" : step.Cached ? "cached " : "missing")}  {step.Path}");
            await ctx.Out.WriteLineAsync($"snapshot: {(report.Hit ? "hit" : "miss")} (tail_hash {report.TailHash}); {report.CachedSteps} of {report.Steps.Count - 1} tail step(s) cached");
            if (report.Miss is { } miss) await ctx.Out.WriteLineAsync($"why a miss: {miss.Kind} at {miss.StepPath}: {miss.Detail}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildLayers(CommandRunner runner)
    {
        var command = new Command("layers", "The snapshot layer cache");
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var list = new Command("list", "List cached layers, least recently used first") { json };
        runner.Bind(list, async (ctx, ct) =>
        {
            var layers = await (await ctx.ReadyAsync<ILayerCatalog>(ct)).ListAsync(null, ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, layers, ct);
                return ExitCodes.Success;
            }
            if (layers.Count == 0) await ctx.Out.WriteLineAsync("no layers yet; 'pipekit chain run DIR --head PATH' builds them");
            foreach (var l in layers.OrderBy(l => l.LastUsedAt))
                await ctx.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{l.Id,6} {l.Engine,-8} {l.StateHash[..16]} {Bytes(l.SizeBytes),10} {l.Hits,5} hit(s)  last used {l.LastUsedAt:u}  after {l.StepPath}"));
            if (layers.Count > 0) await ctx.Out.WriteLineAsync($"{layers.Count} layer(s), {Bytes(layers.Sum(l => l.SizeBytes))}");
            return ExitCodes.Success;
        });
        var gc = new Command("gc", "Collect now: expired jobs, layers unused past [chains].snapshot_ttl, the least recently used beyond [chains].max_layer_bytes");
        runner.Bind(gc, async (ctx, ct) =>
        {
            var report = await (await ctx.ReadyAsync<LayerCollector>(ct)).CollectAsync(ct);
            await ctx.Out.WriteLineAsync($"deleted {report.JobsDeleted} expired job(s); dropped {report.LayersExpired} expired and {report.LayersEvicted} evicted layer(s) "
                + $"({Bytes(report.BytesFreed)}), {report.LeftoversDropped} leftover(s); {report.LayersKept} layer(s) kept ({Bytes(report.BytesKept)})");
            return ExitCodes.Success;
        });
        command.Subcommands.Add(list);
        command.Subcommands.Add(gc);
        return command;
    }

    /// <summary>NAME=VALUE pairs; an integer or true/false is typed so that <c>where id = @id</c> compares as the user means.</summary>
    internal static IReadOnlyDictionary<string, object?> ParseVariables(string[]? pairs)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var pair in pairs ?? [])
        {
            var eq = pair.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--var '{pair}' is not NAME=VALUE");
            var name = pair[..eq];
            var text = pair[(eq + 1)..];
            if (!result.TryAdd(name, long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n
                    : text is "true" or "false" ? text == "true" : text))
                throw new UsageException($"--var {name} is given twice");
        }
        return result;
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.0} GiB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.0} MiB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.0} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} B"),
    };
}
