using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Modules;
using Pipekit.Cli.Terminal;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Runs;

/// <summary><c>pipekit run MODULE [--dry-run]</c>: run one module now, in this process. Ctrl-C cancels cleanly.</summary>
internal sealed class RunCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var name = new Argument<string>("module") { Description = "Module name" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Resolve watermarks and materialise the SQL, but move no data" };
        var command = new Command("run", "Run a module now (watermarks, staging, merge, hooks); exits 1 on failure") { name, dryRun };
        runner.Bind(command, async (ctx, ct) =>
        {
            await (await ctx.ReadyAsync<StaleLockSweeper>(ct)).SweepAsync(ct);
            var module = await ModulesCommand.RequireAsync(await ctx.GetAsync<ModuleRepository>(ct), ctx.Value(name), ct);
            var display = new ProgressReporter(ctx);
            var engine = await ctx.GetAsync<ModuleRunner>(ct);
            var result = await display.RunAsync(module.Name, () => engine.RunAsync(module.Id,
                new RunOptions { DryRun = ctx.Value(dryRun), TriggeredBy = "cli", Progress = display }, ct));
            return await RunReport.PrintAsync(ctx, module.Name, result, ct);
        });
        return command;
    }
}
