using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.State;

namespace Pipekit.Cli.Backups;

/// <summary><c>pipekit restore PATH</c>: replace the state store with a checked backup, keeping the replaced one.</summary>
internal sealed class RestoreCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var path = new Argument<string>("path") { Description = "A file made by 'pipekit backup' (or an automatic backup in $PIPEKIT_HOME/backups)" };
        var command = new Command("restore",
            "Replace the state database with a backup; refuses while a server runs, checks the file first, and keeps the replaced store in $PIPEKIT_HOME/backups " +
            "(PostgreSQL: pg_restore of a 'pipekit backup' dump into the empty database [state] url names)") { path };
        runner.Bind(command, async (ctx, ct) =>
        {
            var result = await (await ctx.GetAsync<StateBackup>(ct)).RestoreAsync(ctx.Value(path), ct);
            await ctx.Out.WriteLineAsync($"restored   {Path.GetFullPath(ctx.Value(path))}");
            await ctx.Out.WriteLineAsync($"schema     {result.Versions}{(result.NeedsUpgrade ? " (older than this pipekit: the next command upgrades it, after a backup)" : "")}");
            if (result.KeptPath.Length > 0)
                await ctx.Out.WriteLineAsync($"kept       {result.KeptPath} (the store as it was before)");
            return ExitCodes.Success;
        });
        return command;
    }
}
