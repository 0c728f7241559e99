using System.CommandLine;
using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Core.Scheduling;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Groups;
using Pipekit.Cli.Terminal;

namespace Pipekit.Cli.Schedules;

/// <summary>
/// <c>pipekit schedules list|add|edit|delete</c>: cron schedules, changed through <see cref="ScheduleEditor"/> as the API
/// changes them. <c>pipekit serve</c> runs the scheduler that fires them.
/// </summary>
internal sealed class SchedulesCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("schedules", "Cron schedules of groups; 'pipekit serve' fires them");
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildAdd(runner));
        command.Subcommands.Add(BuildEdit(runner));
        command.Subcommands.Add(BuildDelete(runner));
        return command;
    }

    private static Argument<long> IdArgument() => new("id") { Description = "Schedule id ('pipekit schedules list' shows them)" };

    private static async Task<Schedule> RequireAsync(CliContext ctx, long id, CancellationToken ct) =>
        await (await ctx.ReadyAsync<ScheduleRepository>(ct)).GetAsync(id, ct)
        ?? throw new CommandFailedException($"no schedule {id}; 'pipekit schedules list' shows them");

    private static Command BuildList(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON (the items of GET /api/schedules)" };
        var command = new Command("list", "List schedules with their next fire time") { json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var schedules = await (await ctx.ReadyAsync<ScheduleRepository>(ct)).ListAsync(null, null, null, ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, schedules.Select(ScheduleDto.From).ToList(), ct);
                return ExitCodes.Success;
            }
            if (schedules.Count == 0)
            {
                await ctx.Out.WriteLineAsync("no schedules yet; add one with 'pipekit schedules add --group NAME --cron \"0 2 * * *\"'");
                return ExitCodes.Success;
            }
            var targets = await ctx.GetAsync<ScheduleTargets>(ct);
            var table = new TextTable().Column("ID", right: true).Column("TARGET").Column("CRON").Column("ZONE").Column("NEXT FIRE");
            foreach (var s in schedules)
            {
                var name = targets.Kinds.Contains(s.TargetKind) ? await targets.Get(s.TargetKind).FindNameAsync(s.TargetId, ct) : null;
                var next = s.Enabled ? s.NextFireAt?.ToString("u", CultureInfo.InvariantCulture) : "disabled";
                table.Row(s.Id.ToString(CultureInfo.InvariantCulture), $"{s.TargetKind} {name ?? $"#{s.TargetId}"}", s.CronExpr, s.Timezone, next);
            }
            await table.WriteAsync(ctx.Out, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildAdd(CommandRunner runner)
    {
        var group = new Option<string>("--group") { Description = "Group to run", Required = true };
        var cron = new Option<string>("--cron") { Description = "Cron expression: 5 fields, or 6 with seconds first ('0 20 2 * * *' = 02:20:00)", Required = true };
        var zone = new Option<string>("--timezone") { Description = "IANA time zone the expression is read in", DefaultValueFactory = _ => "UTC" };
        var disabled = new Option<bool>("--disabled") { Description = "Create it disabled" };
        var command = new Command("add", "Schedule a group") { group, cron, zone, disabled };
        runner.Bind(command, async (ctx, ct) =>
        {
            var target = await (await ctx.ReadyAsync<GroupRepository>(ct)).FindAsync(ctx.Value(group), ct)
                ?? throw new GroupNotFoundException($"named '{ctx.Value(group)}'");
            var saved = await (await ctx.GetAsync<ScheduleEditor>(ct)).CreateAsync(new Schedule
            {
                TargetKind = "group", TargetId = target.Id, CronExpr = ctx.Value(cron), Timezone = ctx.Value(zone), Enabled = !ctx.Value(disabled),
            }, ct);
            await ctx.Out.WriteLineAsync($"added schedule {saved.Id}: group {target.Name} at '{saved.CronExpr}' ({saved.Timezone}); next fire {saved.NextFireAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-"}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildEdit(CommandRunner runner)
    {
        var id = IdArgument();
        var cron = new Option<string?>("--cron") { Description = "New cron expression" };
        var zone = new Option<string?>("--timezone") { Description = "New IANA time zone" };
        var enabled = new Option<bool?>("--enabled") { Description = "true or false" };
        var command = new Command("edit", "Change a schedule; only the options given change") { id, cron, zone, enabled };
        runner.Bind(command, async (ctx, ct) =>
        {
            var current = await RequireAsync(ctx, ctx.Value(id), ct);
            var saved = await (await ctx.GetAsync<ScheduleEditor>(ct)).UpdateAsync(current with
            {
                CronExpr = ctx.Value(cron) ?? current.CronExpr,
                Timezone = ctx.Value(zone) ?? current.Timezone,
                Enabled = ctx.Value(enabled) ?? current.Enabled,
            }, ct) ?? throw new CommandFailedException($"no schedule {current.Id}; 'pipekit schedules list' shows them");
            await ctx.Out.WriteLineAsync($"updated schedule {saved.Id}: '{saved.CronExpr}' ({saved.Timezone}), {(saved.Enabled ? $"next fire {saved.NextFireAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-"}" : "disabled")}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildDelete(CommandRunner runner)
    {
        var id = IdArgument();
        var command = new Command("delete", "Delete a schedule") { id };
        runner.Bind(command, async (ctx, ct) =>
        {
            var current = await RequireAsync(ctx, ctx.Value(id), ct);
            if (!await (await ctx.GetAsync<ScheduleEditor>(ct)).DeleteAsync(current.Id, ct))
                throw new CommandFailedException($"no schedule {current.Id}; 'pipekit schedules list' shows them");
            await ctx.Out.WriteLineAsync($"deleted schedule {current.Id}");
            return ExitCodes.Success;
        });
        return command;
    }
}
