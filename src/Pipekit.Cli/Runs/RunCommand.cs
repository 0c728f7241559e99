using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Modules;
using Pipekit.Cli.Terminal;
using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Runs;

/// <summary>
/// <c>pipekit run MODULE [--dry-run] [--json]</c>: run one module now, in this process, started the way the API and the
/// scheduler start one (<see cref="RunCoordinator"/>). Exit codes fit cron: 0 success, 1 failed (a failed hook included,
/// unless <c>--allow-hook-failure</c> or the module's <c>hooks_may_fail</c>), 130 after Ctrl-C, 143 after SIGTERM; either signal cancels the run cleanly.
/// </summary>
internal sealed class RunCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var name = new Argument<string>("module") { Description = "Module name" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Resolve watermarks and materialise the SQL, but move no data" };
        var json = new Option<bool>("--json") { Description = "Print the run record as JSON (the body of GET /api/runs/{id}) instead of progress and a summary" };
        var allowHookFailure = new Option<bool>("--allow-hook-failure")
        {
            Description = "Exit 0 when the merge succeeded but a hook failed (default: exit 1 unless the module sets hooks_may_fail; the merge stands either way)",
        };
        var command = new Command("run", "Run a module now (watermarks, staging, merge, hooks); exits 1 on failure, 130/143 when interrupted")
        {
            name, dryRun, json, allowHookFailure,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var modules = await ctx.ReadyAsync<ModuleRepository>(ct);
            // The server connections open in the background as soon as the module's two connection ids are read, while
            // the rest of the module loads and the run takes its lock and is recorded.
            var endpoints = await modules.FindEndpointsAsync(ctx.Value(name), ct);
            await using var warmup = endpoints is null ? null
                : ConnectionWarmup.Start(await ctx.GetAsync<ConnectionRepository>(ct), await ctx.GetAsync<ConnectionFactory>(ct), endpoints, ctx.Value(dryRun), ct);
            var module = await ModulesCommand.RequireAsync(ctx, modules, ctx.Value(name), ct);
            ctx.Mark("module loaded");
            var asJson = ctx.Value(json);
            var display = new ProgressReporter(ctx, quiet: asJson);
            var coordinator = await ctx.GetAsync<RunCoordinator>(ct);
            // The same start as the API's and the scheduler's; this process then waits for the run, and Ctrl-C or SIGTERM cancels it.
            var result = await display.RunAsync(module.Name, async () =>
            {
                var started = await coordinator.StartModuleRunAsync(module.Id,
                    new RunStart { TriggeredBy = "cli", DryRun = ctx.Value(dryRun), Progress = display, Phases = display, Cancellation = ct, Warmup = warmup }, ct);
                ctx.Mark("run queued");
                var finished = await started.Completion;
                ctx.Mark("run finished");
                return finished;
            });
            return await RunReport.PrintAsync(ctx, module.Name, result, new RunReportOptions(asJson, ctx.Value(allowHookFailure) || module.HooksMayFail), ct);
        });
        return command;
    }
}
