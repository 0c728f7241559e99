using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Drivers;
using Pipekit.Cli.Terminal;

namespace Pipekit.Cli.Drivers;

/// <summary><c>pipekit drivers list</c>: the built-in driver kinds.</summary>
internal sealed class DriversCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("drivers", "The database drivers built into Pipekit");
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var list = new Command("list", "List driver kinds, URI schemes, bulk path and whether DDL is transactional") { json };
        runner.Bind(list, async (ctx, ct) =>
        {
            var drivers = (await ctx.GetAsync<DriverRegistry>(ct)).All.OrderBy(d => d.Kind).Select(d => new
            {
                kind = d.Kind,
                schemes = d.Schemes.Select(s => s + "://").ToList(),
                dialect = d.GetDialect(null).Name,
                bulk_path = d.BulkPath,
                transactional_ddl = d.GetDialect(null).Ddl.TransactionalDdl,
                transactional_truncate = d.GetDialect(null).Ddl.TransactionalTruncate,
            }).ToList();
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, drivers, ct);
                return ExitCodes.Success;
            }
            var table = new TextTable().Column("KIND").Column("SCHEMES").Column("TX DDL").Column("TX TRUNC").Column("BULK PATH");
            foreach (var d in drivers)
                table.Row(d.kind, string.Join(" ", d.schemes), d.transactional_ddl ? "yes" : "no", d.transactional_truncate ? "yes" : "no", d.bulk_path);
            await table.WriteAsync(ctx.Out, ct);
            return ExitCodes.Success;
        });
        command.Subcommands.Add(list);
        return command;
    }
}
