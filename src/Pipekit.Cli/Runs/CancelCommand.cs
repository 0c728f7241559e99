using System.CommandLine;
using System.Globalization;
using Pipekit.Cli.Hosting;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Runs;

/// <summary>
/// <c>pipekit cancel RUN_ID|MODULE|GROUP</c>: stops a queued or running run wherever it runs — in <c>pipekit serve</c>
/// or in another <c>pipekit run</c> — by recording a cancel request in the state store (<see cref="CancelRequests"/>);
/// the owning process sees it within a second and cancels the run as Ctrl-C would (the destination is left as it was).
/// Then waits for the run to end.
/// </summary>
internal sealed class CancelCommand : ICliCommand
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    public Command Build(CommandRunner runner)
    {
        var target = new Argument<string>("target") { Description = "A run id, a module name or a group name" };
        var wait = new Option<int>("--wait") { Description = "Seconds to wait for the run to end (0: record the request and return)", DefaultValueFactory = _ => 30 };
        var command = new Command("cancel", "Cancel a queued or running module run or group run, in this machine's processes or the server's") { target, wait };
        runner.Bind(command, async (ctx, ct) =>
        {
            if (ctx.Value(wait) < 0) throw new UsageException($"--wait must be 0 or more seconds, got {ctx.Value(wait)}");
            var runs = await ctx.ReadyAsync<RunLogRepository>(ct);
            var requests = await ctx.GetAsync<CancelRequests>(ct);
            var requester = ProcessIdentity.Current().ToString();
            var text = ctx.Value(target).Trim();
            var limit = TimeSpan.FromSeconds(ctx.Value(wait));
            if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
                return await CancelRunAsync(ctx, runs, requests, runId, requester, limit, ct);

            var modules = await ctx.GetAsync<ModuleRepository>(ct);
            if (await modules.FindAsync(text, ct) is { } module)
            {
                var open = await OpenRunAsync(runs, module.Id, ct)
                    ?? throw new CommandFailedException($"module '{module.Name}' is not running; 'pipekit runs list --module {module.Name}' shows its runs");
                return await CancelRunAsync(ctx, runs, requests, open.Id, requester, limit, ct);
            }
            var groups = await ctx.GetAsync<GroupRepository>(ct);
            if (await groups.FindAsync(text, ct) is { } group)
                return await CancelGroupAsync(ctx, requests, group, requester, limit, ct);

            var names = (await modules.ListAsync(ct)).Select(m => m.Name).Concat((await groups.ListAsync(ct)).Select(g => g.Name));
            throw new CommandFailedException(
                $"no run, module or group {NameSuggestion.Named(text, names)}; 'pipekit runs list', 'pipekit modules list' and 'pipekit groups list' show them");
        });
        return command;
    }

    private static async Task<RunLogEntry?> OpenRunAsync(RunLogRepository runs, long moduleId, CancellationToken ct) =>
        (await runs.ListAsync(new RunFilter { ModuleId = moduleId, Status = RunStatus.Running, Limit = 1, IncludeText = false }, ct)).FirstOrDefault()
        ?? (await runs.ListAsync(new RunFilter { ModuleId = moduleId, Status = RunStatus.Queued, Limit = 1, IncludeText = false }, ct)).FirstOrDefault();

    private static async Task<int> CancelRunAsync(CliContext ctx, RunLogRepository runs, CancelRequests requests, long runId, string requester, TimeSpan limit, CancellationToken ct)
    {
        var run = await runs.GetAsync(runId, ct) ?? throw new CommandFailedException($"no run {runId}; 'pipekit runs list' shows them");
        if (run.Status.IsFinished())
            throw new CommandFailedException($"run {run.Id} of module '{run.ModuleName}' has already ended ({run.Status.ToText()}); there is nothing to cancel");
        var module = run.ModuleId is { } moduleId ? await (await ctx.GetAsync<ModuleRepository>(ct)).GetAsync(moduleId, ct) : null;
        if (ProcessIdentity.Parse(module?.LockOwner) is { } owner && owner.IsDeadOnThisHost())
        {
            // Nobody is left to honour a request: the sweep marks the run as interrupted and frees the module now.
            await (await ctx.GetAsync<StaleLockSweeper>(ct)).SweepAsync(ct);
            await ctx.Out.WriteLineAsync($"run {run.Id} of module '{run.ModuleName}': its process (pid {owner.Pid}) is gone; the run is marked interrupted and the module unlocked");
            return ExitCodes.Success;
        }
        await requests.RequestRunAsync(run.Id, requester, ct);
        await ctx.Out.WriteLineAsync($"asked run {run.Id} of module '{run.ModuleName}' to stop");
        if (limit == TimeSpan.Zero) return ExitCodes.Success;
        var ended = await WaitAsync(async () => await runs.GetAsync(run.Id, ct) is { } r && r.Status.IsFinished() ? r : null, limit, ct);
        if (ended is null)
        {
            await ctx.Error.WriteLineAsync($"error: run {run.Id} has not ended after {limit.TotalSeconds:0} s; its process picks the request up once a second while it runs ('pipekit runs show {run.Id}')");
            return ExitCodes.Failure;
        }
        await ctx.Out.WriteLineAsync($"run {ended.Id} of module '{ended.ModuleName}': {ended.Status.ToText()}{(ended.Error is null ? "" : $" ({RunText.OneLine(ended.Error, 160)})")}");
        return ExitCodes.Success;
    }

    private static async Task<int> CancelGroupAsync(CliContext ctx, CancelRequests requests, Group group, string requester, TimeSpan limit, CancellationToken ct)
    {
        var groupRuns = await ctx.GetAsync<GroupRunRepository>(ct);
        var open = (await groupRuns.ListAsync(group.Id, null, 1, ct)).FirstOrDefault(g => g.Status == RunStatus.Running)
            ?? throw new CommandFailedException($"group '{group.Name}' is not running; 'pipekit group-runs list --group {group.Name}' shows its runs");
        await requests.RequestGroupRunAsync(open.Id, requester, ct);
        await ctx.Out.WriteLineAsync($"asked group run {open.Id} of group '{group.Name}' to stop (its running module is cancelled, the rest do not start)");
        if (limit == TimeSpan.Zero) return ExitCodes.Success;
        var ended = await WaitAsync(async () => await groupRuns.GetAsync(open.Id, ct) is { } g && g.Status != RunStatus.Running ? g : null, limit, ct);
        if (ended is null)
        {
            await ctx.Error.WriteLineAsync($"error: group run {open.Id} has not ended after {limit.TotalSeconds:0} s ('pipekit group-runs show {open.Id}')");
            return ExitCodes.Failure;
        }
        await ctx.Out.WriteLineAsync($"group run {ended.Id} of group '{group.Name}': {ended.Status.ToText()}");
        return ExitCodes.Success;
    }

    private static async Task<T?> WaitAsync<T>(Func<Task<T?>> ended, TimeSpan limit, CancellationToken ct) where T : class
    {
        var deadline = DateTimeOffset.UtcNow + limit;
        while (true)
        {
            if (await ended() is { } done) return done;
            if (DateTimeOffset.UtcNow >= deadline) return null;
            await Task.Delay(Poll, ct);
        }
    }
}
