using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Configuration;
using Pipekit.Core.State;

namespace Pipekit.Cli.Setup;

/// <summary><c>pipekit init</c>: create or upgrade the data directory and the state store. Safe to run again.</summary>
internal sealed class InitCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("init", "Create or upgrade the data directory and the state database (idempotent)");
        runner.Bind(command, async (ctx, ct) =>
        {
            var environment = await ctx.EnvironmentAsync(ct);
            Directory.CreateDirectory(environment.Home.Root);
            var store = await ctx.GetAsync<StateStore>(ct);
            var applied = await store.InitializeAsync(ct);
            await ctx.Out.WriteLineAsync($"data directory  {environment.Home.Root}");
            await ctx.Out.WriteLineAsync($"state store     {store.Kind.ToString().ToLowerInvariant()} {store.Location}");
            if (store.UpgradeBackupPath is { } backup)
                await ctx.Out.WriteLineAsync($"backed up       {backup} (before upgrading)");
            if (applied.Count == 0)
                await ctx.Out.WriteLineAsync($"schema          {(await store.GetStatusAsync(ct)).Versions}, already current");
            else
                foreach (var m in applied)
                    await ctx.Out.WriteLineAsync($"applied         {m.FileName}");
            await ctx.Out.WriteLineAsync($"secrets file    {environment.SecretsPath}{(File.Exists(environment.SecretsPath) ? "" : " (not created yet; 'pipekit secrets set KEY' creates it)")}");
            return ExitCodes.Success;
        });
        return command;
    }
}
