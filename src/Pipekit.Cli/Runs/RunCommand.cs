using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Modules;
using Pipekit.Cli.Terminal;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Runs;

/// <summary>
/// <c>pipekit run MODULE [--dry-run]</c>: run one module now, in this process, started the way the API and the scheduler start
/// one (<see cref="RunCoordinator"/>). Ctrl-C cancels cleanly.
/// </summary>
internal sealed class RunCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var name = new Argument<string>("module") { Description = "Module name" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Resolve watermarks and materialise the SQL, but move no data" };
        var command = new Command("run", "Run a module now (watermarks, staging, merge, hooks); exits 1 on failure") { name, dryRun };
        runner.Bind(command, async (ctx, ct) =>
        {
            var module = await ModulesCommand.RequireAsync(await ctx.ReadyAsync<ModuleRepository>(ct), ctx.Value(name), ct);
            var display = new ProgressReporter(ctx);
            var coordinator = await ctx.GetAsync<RunCoordinator>(ct);
            // The same start as the API's and the scheduler's; this process then waits for the run, and Ctrl-C or SIGTERM cancels it.
            var result = await display.RunAsync(module.Name, async () =>
            {
                var started = await coordinator.StartModuleRunAsync(module.Id,
                    new RunStart { TriggeredBy = "cli", DryRun = ctx.Value(dryRun), Progress = display, Cancellation = ct }, ct);
                return await started.Completion;
            });
            return await RunReport.PrintAsync(ctx, module.Name, result, ct);
        });
        return command;
    }
}
