using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;

namespace Pipekit.Cli.State;

/// <summary><c>pipekit state copy --to postgres://…</c>: move the SQLite state store into an empty PostgreSQL database.</summary>
internal sealed class StateCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("state", "Work with the state store itself");
        command.Subcommands.Add(BuildCopy(runner));
        return command;
    }

    private static Command BuildCopy(CommandRunner runner)
    {
        var to = new Option<string>("--to")
        {
            Description = "The empty PostgreSQL database to fill: postgres://user@host:port/database (no password in it)",
            Required = true,
        };
        var password = new Option<string?>("--password")
        {
            Description = "The database password as a $NAME secret reference (a secrets-file key or an environment variable), never a literal",
        };
        var command = new Command("copy",
            "Copy every row of the current SQLite state store into an empty PostgreSQL store, in one transaction, keeping ids, and verify the row counts")
        {
            to, password,
        };
        runner.Bind(command, async (ctx, ct) =>
        {
            var from = await ctx.GetAsync<StateStore>(ct);
            await using var target = StateStore.ForPostgres(ctx.Value(to), ctx.Value(password), await ctx.GetAsync<SecretStore>(ct),
                await ctx.GetAsync<Redactor>(ct), Migrator.ForParts(await ctx.GetAsync<IEnumerable<StatePart>>(ct), StoreKind.Postgres, TimeProvider.System));
            var counts = await StateCopier.CopyAsync(from, target, ct);

            var width = Math.Max("table".Length, counts.Max(c => c.Table.Length));
            await ctx.Out.WriteLineAsync($"{"table".PadRight(width)}  {"sqlite",10}  {"postgres",10}");
            foreach (var count in counts)
                await ctx.Out.WriteLineAsync($"{count.Table.PadRight(width)}  {count.Source,10}  {count.Target,10}");
            await ctx.Out.WriteLineAsync($"copied {counts.Sum(c => c.Target)} row(s) from {from.Location} to {target.Location}; every table's count matches");
            await ctx.Out.WriteLineAsync($"to use it, set [state] url = \"{target.Location}\" (and [state] password) in pipekit.toml, or PIPEKIT_STATE_URL");
            return ExitCodes.Success;
        });
        return command;
    }
}
