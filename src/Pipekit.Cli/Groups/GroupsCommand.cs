using System.CommandLine;
using Pipekit.Cli.Hosting;
using Pipekit.Cli.Modules;
using Pipekit.Cli.Runs;
using Pipekit.Cli.Terminal;
using Pipekit.Server.Api.Contracts;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Groups;

/// <summary><c>pipekit groups list|show|apply|run|delete</c>.</summary>
internal sealed class GroupsCommand : ICliCommand
{
    public Command Build(CommandRunner runner)
    {
        var command = new Command("groups", "Groups: ordered sets of modules run one after another");
        command.Subcommands.Add(BuildList(runner));
        command.Subcommands.Add(BuildShow(runner));
        command.Subcommands.Add(ModulesCommand.BuildApply(runner, "apply", "Create or update groups from TOML files ([[groups]] entries)", modules: false, groups: true));
        command.Subcommands.Add(BuildRun(runner));
        command.Subcommands.Add(BuildDelete(runner));
        return command;
    }

    internal static async Task<Group> RequireAsync(GroupRepository groups, string name, CancellationToken ct) =>
        await groups.FindAsync(name, ct)
        ?? throw new GroupNotFoundException(NameSuggestion.Named(name, (await groups.ListAsync(ct)).Select(g => g.Name)));

    private static Command BuildList(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List groups") { json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var groups = await (await ctx.ReadyAsync<GroupRepository>(ct)).ListAsync(ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, groups.Select(GroupDto.From).ToList(), ct);
                return ExitCodes.Success;
            }
            if (groups.Count == 0) await ctx.Out.WriteLineAsync("no groups yet; declare [[groups]] in a TOML file and run 'pipekit groups apply -f FILE'");
            foreach (var g in groups)
                await ctx.Out.WriteLineAsync($"{g.Name,-24} {g.Members.Count} module(s){(g.StopOnFailure ? ", stops on failure" : "")}: {string.Join(", ", g.Members.Select(m => m.ModuleName))}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildShow(CommandRunner runner)
    {
        var name = new Argument<string>("group") { Description = "Group name" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("show", "Show a group's members and recent runs") { name, json };
        runner.Bind(command, async (ctx, ct) =>
        {
            var group = await RequireAsync(await ctx.ReadyAsync<GroupRepository>(ct), ctx.Value(name), ct);
            var recent = await (await ctx.GetAsync<GroupRunRepository>(ct)).ListAsync(group.Id, null, 10, ct);
            if (ctx.Value(json))
            {
                await JsonOutput.WriteAsync(ctx, GroupDto.From(group), ct);
                return ExitCodes.Success;
            }
            await ctx.Out.WriteLineAsync($"group {group.Name} (id {group.Id}){(group.StopOnFailure ? ", stops on the first failure" : ", continues past failures")}");
            foreach (var m in group.Members.OrderBy(m => m.RunOrder))
                await ctx.Out.WriteLineAsync($"  {m.RunOrder,3}. {m.ModuleName}");
            if (recent.Count > 0) await ctx.Out.WriteLineAsync("recent runs:");
            foreach (var r in recent)
                await ctx.Out.WriteLineAsync($"  {r.Id,6} {r.Status.ToText(),-10} {r.StartedAt:u} {r.TriggeredBy}");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command BuildRun(CommandRunner runner)
    {
        var name = new Argument<string>("group") { Description = "Group name" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Dry-run every member" };
        var allowHookFailure = new Option<bool>("--allow-hook-failure")
        {
            Description = "Exit 0 when every merge succeeded but a hook failed (default: exit 1 unless that module sets hooks_may_fail)",
        };
        var command = new Command("run", "Run a group's enabled modules in order; exits 1 if any failed (a failed hook included)") { name, dryRun, allowHookFailure };
        runner.Bind(command, async (ctx, ct) =>
        {
            var group = await RequireAsync(await ctx.ReadyAsync<GroupRepository>(ct), ctx.Value(name), ct);
            var coordinator = await ctx.GetAsync<RunCoordinator>(ct);
            var display = new ProgressReporter(ctx);
            display.Module(group.Name);
            var finished = new List<(Sync.Modules.Module Module, RunResult Result)>();
            var started = await coordinator.StartGroupRunAsync(group.Id, new RunStart
            {
                TriggeredBy = "cli", DryRun = ctx.Value(dryRun), Progress = display, Phases = display, Cancellation = ct,
                MemberFinished = (module, r) =>
                {
                    lock (finished) finished.Add((module, r));
                    ctx.Out.WriteLine($"  {module.Name,-24} {r.Status.ToText(),-10} {r.RowCount,12:N0} rows{(r.Error is null ? "" : $"  {RunText.OneLine(r.Error, 160)}")}");
                },
            }, ct);
            var groupRunId = started.GroupRunId;
            await ctx.Out.WriteLineAsync($"group {group.Name}: run {groupRunId}");
            var result = await started.Completion;
            await ctx.Out.WriteLineAsync($"group {group.Name}: {result.Status.ToText()} ({result.Members.Count} module run(s), group run {groupRunId})");
            if (result.Status is not (RunStatus.Success or RunStatus.DryRun)) return ExitCodes.Failure;
            return await HookFailuresAsync(ctx, finished, ctx.Value(allowHookFailure)) ? ExitCodes.Failure : ExitCodes.Success;
        });
        return command;
    }

    // A member whose merge succeeded but whose hook failed: one line each; true when one of them fails the command (its
    // module does not say hooks may fail, and --allow-hook-failure was not given).
    private static async Task<bool> HookFailuresAsync(CliContext ctx, List<(Sync.Modules.Module Module, RunResult Result)> members, bool allowed)
    {
        var runs = await ctx.GetAsync<RunLogRepository>(CancellationToken.None);
        var fails = false;
        foreach (var (module, result) in members)
        {
            if (result.Status != RunStatus.Success || result.RunId is not { } id) continue;
            if ((await runs.GetAsync(id, CancellationToken.None))?.HookFailed != true) continue;
            var line = $"{module.Name}: a hook failed; the merge stands; see 'pipekit runs show {id}'";
            if (allowed || module.HooksMayFail) await ctx.Out.WriteLineAsync(line);
            else
            {
                await ctx.Error.WriteLineAsync($"error: {line}");
                fails = true;
            }
        }
        return fails;
    }

    private static Command BuildDelete(CommandRunner runner)
    {
        var name = new Argument<string>("group") { Description = "Group name" };
        var command = new Command("delete", "Delete a group with its members, schedules and group-run history (module runs stay)") { name };
        runner.Bind(command, async (ctx, ct) =>
        {
            var group = await RequireAsync(await ctx.ReadyAsync<GroupRepository>(ct), ctx.Value(name), ct);
            await (await ctx.GetAsync<GroupEditor>(ct)).DeleteAsync(group.Id, ct);
            await ctx.Out.WriteLineAsync($"deleted group '{group.Name}'");
            return ExitCodes.Success;
        });
        return command;
    }
}
