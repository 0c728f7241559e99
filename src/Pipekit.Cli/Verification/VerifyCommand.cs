using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Modules;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Verification;

namespace Pipekit.Cli.Verification;

/// <summary>
/// <c>pipekit verify MODULE [--where SQL] [--columns] [--counts] [--json]</c>: compares the module's source with its
/// destination now, through the same code as <c>POST /api/modules/{id}/verify</c>. Exits 0 on a match, 1 on drift.
/// </summary>
internal sealed class VerifyCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var name = new Argument<string>("module") { Description = "Module name" };
        var where = new Option<string?>("--where") { Description = "Compare only rows matching this SQL condition (destination column names), on both sides" };
        var columns = new Option<bool>("--columns") { Description = "Compare every column, not only the merge key" };
        var counts = new Option<bool>("--counts") { Description = "Compare row counts only (the default for a module without a merge key)" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var command = new Command("verify",
            "Compare a module's source with its destination: row counts and a hash of the merge keys (or every column); exits 1 on drift")
            { name, where, columns, counts, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var module = await ModulesCommand.RequireAsync(await ctx.ReadyAsync<ModuleRepository>(ct), ctx.Value(name), ct);
            if (ctx.Value(counts) && ctx.Value(columns)) throw new UsageException("--counts and --columns exclude each other");
            var mode = ctx.Value(counts) || module.MergeKeyColumns.Count == 0 && !ctx.Value(columns) ? VerifyMode.Counts : VerifyMode.Keys;
            var verifier = await ctx.GetAsync<ModuleVerifier>(ct);
            var result = await verifier.VerifyAsync(module.Id, new VerifyRequest(mode, ctx.Value(columns), ctx.Value(where)), ct);
            if (ctx.Value(json))
                await JsonOutput.WriteAsync(ctx, result, ct);
            else
            {
                await ctx.Out.WriteLineAsync($"{module.Name}: {ModuleVerifier.Summary(result)}");
                if (result.MissingSample.Count > 0)
                    await ctx.Out.WriteLineAsync($"missing from the destination (first {result.MissingSample.Count}): {string.Join("; ", result.MissingSample)}");
                if (result.ExtraSample.Count > 0)
                    await ctx.Out.WriteLineAsync($"extra in the destination (first {result.ExtraSample.Count}): {string.Join("; ", result.ExtraSample)}");
            }
            return result.Match ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }
}
