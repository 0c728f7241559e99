using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Runs;
using Pipekit.Cli.Terminal;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Copy;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Copy;

/// <summary>
/// <c>pipekit copy --from CONN --table T | --query SQL --to CONN [--to-table T] [--mode …] [--key COL…] [--update-key COL] [--save NAME]</c>:
/// a one-shot copy, run as a module through the one run path; the module is removed afterwards unless saved.
/// </summary>
internal sealed class CopyCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var from = new Option<string>("--from") { Description = "Source connection (a stored connection's name)", Required = true };
        var table = new Option<string?>("--table") { Description = "Source table, e.g. public.orders (or use --query)" };
        var query = new Option<string?>("--query") { Description = "Source SQL query instead of a table" };
        var to = new Option<string>("--to") { Description = "Destination connection", Required = true };
        var toTable = new Option<string?>("--to-table") { Description = "Destination table, created when missing; default: the source table's name" };
        var mode = new Option<string>("--mode") { Description = "full (replace the table), incremental (replace rows by --key) or append", DefaultValueFactory = _ => "full" };
        var key = new Option<string[]>("--key") { Description = "Column(s) that identify a row (--mode incremental)", AllowMultipleArgumentsPerToken = true };
        var updateKey = new Option<string?>("--update-key")
        {
            Description = "Column that grows with every change (e.g. updated_at): only rows past its largest value in the destination are read",
        };
        var save = new Option<string?>("--save") { Description = "Keep the copy as a module of this name (run it again with 'pipekit run NAME')" };
        var json = new Option<bool>("--json") { Description = "Print the run record as JSON (as GET /api/runs/{id} returns it) instead of progress and a summary" };
        var command = new Command("copy",
            "Copy a table or query from one connection to another now, through the same engine as a module run (exits 1 on failure)")
        {
            from, table, query, to, toTable, mode, key, updateKey, save, json,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var request = new CopyRequest
            {
                From = ctx.Value(from), Table = ctx.Value(table), Query = ctx.Value(query), To = ctx.Value(to), ToTable = ctx.Value(toTable),
                Mode = ctx.Value(mode), Keys = ctx.Value(key) ?? [], UpdateKey = ctx.Value(updateKey), SaveName = ctx.Value(save),
            };
            var copier = await ctx.ReadyAsync<ModuleCopier>(ct);
            var asJson = ctx.Value(json);
            var display = new ProgressReporter(ctx, quiet: asJson);
            var label = request.SaveName ?? $"copy {request.From} → {request.To}";
            var copy = await display.RunAsync(label, () =>
                copier.RunAsync(request, new RunStart { TriggeredBy = "cli", Progress = display, Phases = display, Cancellation = ct }, ct));
            // A copy runs no hooks, so a hook failure cannot decide its exit code.
            var code = await RunReport.PrintAsync(ctx, copy.Module.Name, copy.Result, copy.Run, new RunReportOptions(asJson, AllowHookFailure: false));
            if (copy.Saved && !asJson) await ctx.Out.WriteLineAsync($"saved as module '{copy.Module.Name}'; run it again with 'pipekit run {copy.Module.Name}'");
            return code;
        });
        return command;
    }
}
