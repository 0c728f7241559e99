using System.CommandLine;
using System.Text.Json;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Terminal;
using Pipekit.Core.Secrets;

namespace Pipekit.Cli.Secrets;

/// <summary><c>pipekit secrets set|list|unset</c>: edit the secrets file; values are never printed.</summary>
internal sealed class SecretsCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("secrets", "Manage secrets: [global] and per-project values referenced as $NAME");
        command.Subcommands.Add(BuildSet(runner));
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildUnset(runner));
        return command;
    }

    private static Option<string?> ProjectOption() => new("--project", "-p")
    {
        Description = "Project section (a DAG name or a module's project); default [global]",
    };

    private static Command BuildSet(CommandRunner runner)
    {
        var key = new Argument<string>("key") { Description = "Secret name, e.g. WAREHOUSE_PW" };
        var value = new Argument<string?>("value") { Description = "The value; omit it to be prompted without echo", Arity = ArgumentArity.ZeroOrOne };
        var project = ProjectOption();
        var command = new Command("set", "Add or replace a secret (prompts without echo when VALUE is omitted)") { key, value, project };
        runner.Bind(command, async (ctx, ct) =>
        {
            var environment = await ctx.EnvironmentAsync(ct);
            var name = ctx.Value(key);
            var text = ctx.Value(value) ?? await SecretPrompt.ReadAsync(ctx, $"value for {name}: ", ct);
            await SecretsFile.SetAsync(environment.SecretsPath, ctx.Value(project), name, text, ct);
            await ctx.Out.WriteLineAsync($"set {Describe(name, ctx.Value(project))} in {environment.SecretsPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildList(CommandRunner runner)
    {
        var project = ProjectOption();
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List secret names (never values)") { project, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var environment = await ctx.EnvironmentAsync(ct);
            var store = await SecretStore.LoadAsync(environment.SecretsPath, ct);
            var sections = ctx.Value(project) is { } p ? [p] : new[] { (string?)null }.Concat(store.Projects).ToList();
            var rows = sections.SelectMany(s => store.Keys(s).Select(k => (Section: s ?? "global", Key: k))).ToList();
            if (ctx.Value(json))
                await ctx.Out.WriteLineAsync(JsonSerializer.Serialize(rows.Select(r => new { section = r.Section, key = r.Key })));
            else
                foreach (var r in rows)
                    await ctx.Out.WriteLineAsync($"[{r.Section}] {r.Key}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildUnset(CommandRunner runner)
    {
        var key = new Argument<string>("key") { Description = "Secret name" };
        var project = ProjectOption();
        var command = new Command("unset", "Remove a secret") { key, project };
        runner.Bind(command, async (ctx, ct) =>
        {
            var environment = await ctx.EnvironmentAsync(ct);
            var name = ctx.Value(key);
            if (!await SecretsFile.UnsetAsync(environment.SecretsPath, ctx.Value(project), name, ct))
                throw new CommandFailedException($"{Describe(name, ctx.Value(project))} is not set in {environment.SecretsPath}");
            await ctx.Out.WriteLineAsync($"removed {Describe(name, ctx.Value(project))} from {environment.SecretsPath}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Describe(string key, string? project) => $"[{project ?? "global"}] {key}";
}
