using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.State;
using Pipekit.Server.Api.Contracts;
using Pipekit.Cli.Terminal;

namespace Pipekit.Cli.Connections;

/// <summary><c>pipekit connections add|list|show|edit|delete|test</c>.</summary>
internal sealed class ConnectionsCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("connections", "Manage named database connections");
        command.Subcommands.Add(BuildAdd(runner));
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildShow(runner));
        command.Subcommands.Add(BuildEdit(runner));
        command.Subcommands.Add(BuildDelete(runner));
        command.Subcommands.Add(BuildTest(runner));
        return command;
    }

    private static Argument<string> NameArgument() => new("name") { Description = "Connection name" };

    private static async Task<ConnectionRepository> RepositoryAsync(CliContext ctx, CancellationToken ct)
    {
        await (await ctx.GetAsync<StateStore>(ct)).EnsureReadyAsync(ct);
        return await ctx.GetAsync<ConnectionRepository>(ct);
    }

    internal static async Task<ConnectionRecord> RequireAsync(ConnectionRepository repository, string name, CancellationToken ct) =>
        await repository.FindAsync(name, ct)
        ?? throw new ConnectionNotFoundException(NameSuggestion.Named(name, (await repository.ListAsync(ct)).Select(c => c.Name)));

    private static async Task<long?> DefaultDestIdAsync(ConnectionRepository repository, string? name, CancellationToken ct) =>
        string.IsNullOrEmpty(name) ? null : (await RequireAsync(repository, name, ct)).Id;

    private static Command BuildAdd(CommandRunner runner)
    {
        var name = NameArgument();
        var options = new ConnectionOptions();
        var command = new Command("add", "Add a connection; the password is a $NAME secret reference") { name };
        options.AddTo(command);
        options.Url.Required = true;
        runner.Bind(command, async (ctx, ct) =>
        {
            var repository = await RepositoryAsync(ctx, ct);
            var draft = options.Apply(new ConnectionRecord { Name = ctx.Value(name), Driver = "", Url = "" }, ctx.Parse,
                await DefaultDestIdAsync(repository, ctx.Parse.GetValue(options.DefaultDest), ct));
            var saved = await (await ctx.GetAsync<ConnectionEditor>(ct)).CreateAsync(draft, ct);
            await ctx.Out.WriteLineAsync($"added connection '{saved.Name}' ({saved.Driver}, id {saved.Id}); check it with 'pipekit connections test {saved.Name}'");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildList(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List connections") { json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var all = await (await RepositoryAsync(ctx, ct)).ListAsync(ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, all.Select(ConnectionDto.From).ToList(), ct);
                return ExitCodes.Success;
            }
            if (all.Count == 0)
            {
                await ctx.Out.WriteLineAsync("no connections yet; add one with 'pipekit connections add NAME --url URI'");
                return ExitCodes.Success;
            }
            var table = new TextTable().Column("ID", right: true).Column("NAME").Column("DRIVER").Column("URL");
            foreach (var c in all) table.Row(c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Name, c.Driver, c.Url);
            await table.WriteAsync(ctx.Out, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildShow(CommandRunner runner)
    {
        var name = NameArgument();
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("show", "Show one connection") { name, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var repository = await RepositoryAsync(ctx, ct);
            var c = await RequireAsync(repository, ctx.Value(name), ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, ConnectionDto.From(c), ct);
                return ExitCodes.Success;
            }
            var dest = c.DefaultDestConnectionId is { } id ? (await repository.GetAsync(id, ct))?.Name : null;
            foreach (var (label, value) in new (string, string?)[]
                     {
                         ("name", c.Name), ("id", c.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("driver", c.Driver),
                         ("url", c.Url), ("user", c.Username), ("password", c.Password), ("dialect", c.Dialect), ("project", c.Project),
                         ("default dest", dest), ("default schema", c.DefaultDestSchema), ("notes", c.Notes),
                         ("updated", c.UpdatedAt.ToString("u", System.Globalization.CultureInfo.InvariantCulture)),
                     })
                await ctx.Out.WriteLineAsync($"{label,-15} {value ?? "-"}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildEdit(CommandRunner runner)
    {
        var name = NameArgument();
        var rename = new Option<string?>("--rename") { Description = "New name" };
        var options = new ConnectionOptions();
        var command = new Command("edit", "Change a connection; only the options given change (an empty value clears a field)") { name, rename };
        options.AddTo(command);
        runner.Bind(command, async (ctx, ct) =>
        {
            var repository = await RepositoryAsync(ctx, ct);
            var current = await RequireAsync(repository, ctx.Value(name), ct);
            var defaultDest = await DefaultDestIdAsync(repository, ctx.Parse.GetValue(options.DefaultDest), ct);
            var valid = await (await ctx.GetAsync<ConnectionEditor>(ct)).UpdateAsync(current.Id,
                stored => options.Apply(stored, ctx.Parse, defaultDest) with { Name = ctx.Value(rename) ?? stored.Name }, ct);
            await ctx.Out.WriteLineAsync($"updated connection '{valid.Name}'");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildDelete(CommandRunner runner)
    {
        var name = NameArgument();
        var command = new Command("delete", "Delete a connection that nothing uses") { name };
        runner.Bind(command, async (ctx, ct) =>
        {
            var repository = await RepositoryAsync(ctx, ct);
            var current = await RequireAsync(repository, ctx.Value(name), ct);
            await (await ctx.GetAsync<ConnectionEditor>(ct)).DeleteAsync(current.Id, ct);
            await ctx.Out.WriteLineAsync($"deleted connection '{current.Name}'");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildTest(CommandRunner runner)
    {
        var name = new Argument<string?>("name") { Description = "Connection name; all connections when omitted", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("test", "Open the connection and run the engine's cheapest query") { name, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var repository = await RepositoryAsync(ctx, ct);
            var targets = ctx.Value(name) is { } n ? [await RequireAsync(repository, n, ct)] : await repository.ListAsync(ct);
            var tester = await ctx.GetAsync<ConnectionChecker>(ct);
            var results = new List<object>();
            var failed = false;
            foreach (var c in targets)
            {
                var r = await tester.TestAsync(c, ct);
                failed |= !r.Ok;
                if (ctx.Value(json))
                    results.Add(new { name = c.Name, ok = r.Ok, elapsed_ms = (long)r.Elapsed.TotalMilliseconds, server_version = r.ServerVersion, error = r.Error });
                else
                    await ctx.Out.WriteLineAsync(r.Ok
                        ? $"ok    {c.Name,-20} {r.ServerVersion} ({r.Elapsed.TotalMilliseconds:0} ms)"
                        : $"FAIL  {c.Name,-20} {r.Error}");
            }
            if (ctx.Value(json)) await JsonOutput.WriteAsync(ctx, results, ct);
            return failed ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }
}
