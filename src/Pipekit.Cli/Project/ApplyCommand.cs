using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Files;

namespace Pipekit.Cli.Project;

/// <summary><c>pipekit apply -f FILE… [--dry-run] [--prune] [--json]</c>: make the state what project files declare.</summary>
internal sealed class ApplyCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var files = new Option<string[]>("--file", "-f")
        {
            Description = "Project file(s): [[connections]], [[modules]], [[groups]] with [[groups.schedules]]", Required = true, AllowMultipleArgumentsPerToken = true,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Validate and print the plan as a diff (+ create, ~ update, = unchanged, - remove); write nothing" };
        var prune = new Option<bool>("--prune")
        {
            Description = "Also remove connections, modules, groups and group schedules the files no longer declare (never a running module; run history stays)",
        };
        var json = new Option<bool>("--json") { Description = "Print the plan as JSON (the body POST /api/apply returns)" };
        var command = new Command("apply",
            "Create, update (and with --prune remove) connections, modules, groups and schedules from project files; everything is validated first and written in one transaction")
        {
            files, dryRun, prune, json,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var parsed = new List<SyncFile>();
            foreach (var path in ctx.Value(files))
                parsed.Add(await SyncFileParser.ReadAsync(path, ct));
            var options = new ApplyOptions { DryRun = ctx.Value(dryRun), Prune = ctx.Value(prune) };
            var changes = await (await ctx.ReadyAsync<SyncFileApplier>(ct)).ApplyAsync(parsed, options, ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, ApplyResultDto.From(changes, options), ct);
                return ExitCodes.Success;
            }
            await ApplyReport.PrintAsync(ctx, changes, options.DryRun);
            await ctx.Out.WriteLineAsync(ApplyReport.Summary(changes, options.DryRun));
            if (!options.DryRun) await ApplyReport.WarnAsync(ctx, changes, ct);
            return ExitCodes.Success;
        });
        return command;
    }
}
