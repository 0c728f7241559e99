using System.CommandLine;
using System.Globalization;
using Pipekit.Cli.Groups;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Runs;
using Pipekit.Cli.Terminal;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.GroupRuns;

/// <summary>
/// <c>pipekit group-runs list|show|rerun</c>: runs of whole groups, as <c>GET /api/group-runs</c> lists them; <c>rerun</c>
/// runs the members that failed in one again, as <c>POST /api/group-runs/{id}/rerun-failed</c> does.
/// </summary>
internal sealed class GroupRunsCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("group-runs", "Runs of whole groups, scheduled or manual, with their module runs");
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildShow(runner));
        command.Subcommands.Add(BuildRerun(runner));
        return command;
    }

    private static Command BuildList(CommandRunner runner)
    {
        var group = new Option<string?>("--group") { Description = "Only runs of this group" };
        var limit = new Option<int>("--limit") { Description = "How many group runs (newest first, at most 1000)", DefaultValueFactory = _ => 50 };
        var json = new Option<bool>("--json") { Description = "Print JSON (the items of GET /api/group-runs)" };
        var command = new Command("list", "List group runs, newest first") { group, limit, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var groupRuns = await ctx.ReadyAsync<GroupRunRepository>(ct);
            if (ctx.Value(limit) is < 1 or > 1000) throw new UsageException($"--limit must be between 1 and 1000, got {ctx.Value(limit)}");
            long? groupId = ctx.Value(group) is { } name ? (await GroupsCommand.RequireAsync(await ctx.GetAsync<GroupRepository>(ct), name, ct)).Id : null;
            var list = await groupRuns.ListAsync(groupId, null, ctx.Value(limit), ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, list.Select(g => GroupRunDto.From(g)).ToList(), ct);
                return ExitCodes.Success;
            }
            if (list.Count == 0)
            {
                await ctx.Out.WriteLineAsync("no group runs yet; 'pipekit groups run GROUP' starts one");
                return ExitCodes.Success;
            }
            var table = new TextTable().Column("ID", right: true).Column("GROUP").Column("STATUS").Column("STARTED").Column("SECONDS", right: true).Column("TRIGGER");
            foreach (var g in list)
                table.Row(g.Id.ToString(CultureInfo.InvariantCulture), g.GroupName, g.Status.ToText(), g.StartedAt.ToString("u", CultureInfo.InvariantCulture), Seconds(g), g.TriggeredBy);
            await table.WriteAsync(ctx.Out, ct);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildShow(CommandRunner runner)
    {
        var id = new Argument<long>("id") { Description = "Group run id" };
        var json = new Option<bool>("--json") { Description = "Print JSON (the body of GET /api/group-runs/{id})" };
        var command = new Command("show", "Show a group run with each of its module runs") { id, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var groupRun = await (await ctx.ReadyAsync<GroupRunRepository>(ct)).GetAsync(ctx.Value(id), ct)
                ?? throw new CommandFailedException($"no group run {ctx.Value(id)}; 'pipekit group-runs list' shows them");
            var members = (await (await ctx.GetAsync<RunLogRepository>(ct)).ListAsync(new RunFilter { GroupRunId = groupRun.Id, Limit = 1000, IncludeText = false }, ct))
                .OrderBy(r => r.Id).ToList();
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, GroupRunDto.From(groupRun, members), ct);
                return ExitCodes.Success;
            }
            var o = ctx.Out;
            await o.WriteLineAsync($"group run {groupRun.Id}: group {groupRun.GroupName}, {groupRun.Status.ToText()}");
            await o.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"started {groupRun.StartedAt:u}, finished {groupRun.FinishedAt?.ToString("u", CultureInfo.InvariantCulture) ?? "-"}, triggered by {groupRun.TriggeredBy ?? "-"}"));
            if (members.Count == 0)
            {
                await o.WriteLineAsync("no module runs");
                return ExitCodes.Success;
            }
            var table = new TextTable().Column("RUN", right: true).Column("MODULE").Column("STATUS").Column("ROWS", right: true).Column("ERROR");
            foreach (var r in members)
                table.Row(r.Id.ToString(CultureInfo.InvariantCulture), r.ModuleLabel, RunText.Status(r), r.RowCount?.ToString("N0", CultureInfo.InvariantCulture),
                    RunText.OneLine(r.Error, 160));
            await table.WriteAsync(o, ct);
            await o.WriteLineAsync("'pipekit runs show RUN' has each run's SQL, watermarks and logs");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildRerun(CommandRunner runner)
    {
        var id = new Argument<long>("id") { Description = "Group run id (of a group run that has ended with failed members)" };
        var command = new Command("rerun", "Run only the members that failed in a group run, in order, as one new group run; exits 1 if any fails again") { id };
        runner.Bind(command, async (ctx, ct) =>
        {
            var rerun = await ctx.ReadyAsync<GroupRerun>(ct);
            var display = new ProgressReporter(ctx);
            display.Module($"group run {ctx.Value(id)}");
            var started = await rerun.RerunFailedAsync(ctx.Value(id), new RunStart
            {
                TriggeredBy = "cli", Progress = display, Phases = display, Cancellation = ct,
                MemberFinished = (module, r) => ctx.Out.WriteLine($"  {module.Name,-24} {r.Status.ToText(),-10} {r.RowCount,12:N0} rows{(r.Error is null ? "" : $"  {RunText.OneLine(r.Error, 160)}")}"),
            }, ct);
            await ctx.Out.WriteLineAsync($"re-running the failed members of group run {ctx.Value(id)}: group run {started.GroupRunId}");
            var result = await started.Completion;
            await ctx.Out.WriteLineAsync($"group run {started.GroupRunId}: {result.Status.ToText()} ({result.Members.Count} module run(s))");
            return result.Status is RunStatus.Success or RunStatus.DryRun ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    private static string Seconds(GroupRun g) =>
        g.FinishedAt is { } end ? ((end - g.StartedAt).TotalSeconds).ToString("0.00", CultureInfo.InvariantCulture) : "-";
}
