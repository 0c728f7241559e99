using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Sync.Groups;

/// <summary>
/// Runs a group's enabled members one after another in run order (seed 002): disabled modules are skipped,
/// failures don't stop the group unless <c>stop_on_failure</c> is set, and the group ends <c>error</c> if any
/// member erred, <c>dry_run</c> if all were dry runs, <c>success</c> otherwise.
/// </summary>
public sealed class GroupRunner
{
    private readonly GroupRepository _groups;
    private readonly GroupRunRepository _groupRuns;
    private readonly ModuleRepository _modules;
    private readonly ModuleRunner _runner;

    public GroupRunner(GroupRepository groups, GroupRunRepository groupRuns, ModuleRepository modules, ModuleRunner runner)
    {
        _groups = groups;
        _groupRuns = groupRuns;
        _modules = modules;
        _runner = runner;
    }

    /// <summary>Creates the group_run row; <see cref="RunAsync"/> then runs it (the server returns the id before the run ends).</summary>
    public async Task<long> StartAsync(long groupId, string triggeredBy, CancellationToken cancellationToken)
    {
        _ = await _groups.GetAsync(groupId, cancellationToken) ?? throw new GroupNotFoundException($"with id {groupId}");
        return await _groupRuns.StartAsync(groupId, triggeredBy, cancellationToken);
    }

    public Task<GroupRunResult> RunAsync(long groupId, long groupRunId, RunOptions template, Action<Module, RunResult>? memberFinished,
        CancellationToken cancellationToken) =>
        RunAsync(groupId, groupRunId, template, memberFinished, runMember: null, only: null, cancellationToken);

    /// <summary>
    /// Runs the group; each member run goes through <paramref name="runMember"/> when given (the server's run queue
    /// uses it to make members wait for a free slot), else straight through <see cref="ModuleRunner"/>. With
    /// <paramref name="only"/>, members whose module is not in it are left out (a re-run of the failed members).
    /// </summary>
    public async Task<GroupRunResult> RunAsync(long groupId, long groupRunId, RunOptions template, Action<Module, RunResult>? memberFinished,
        Func<long, RunOptions, CancellationToken, Task<RunResult>>? runMember, IReadOnlySet<long>? only, CancellationToken cancellationToken)
    {
        runMember ??= _runner.RunAsync;
        var results = new List<RunResult>();
        var status = RunStatus.Error;
        try
        {
            // Inside the try: a cancel or a deleted group before the first member still ends the group_run row.
            var group = await _groups.GetAsync(groupId, cancellationToken) ?? throw new GroupNotFoundException($"with id {groupId}");
            foreach (var member in group.Members.OrderBy(m => m.RunOrder).ThenBy(m => m.Id))
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (only is not null && !only.Contains(member.ModuleId)) continue;
                var module = await _modules.GetAsync(member.ModuleId, cancellationToken);
                if (module is null || !module.Enabled) continue;
                var result = await runMember(module.Id, template with { GroupRunId = groupRunId, QueuedRunId = null }, cancellationToken);
                results.Add(result);
                memberFinished?.Invoke(module, result);
                if (result.Status == RunStatus.Cancelled) throw new OperationCanceledException(cancellationToken);
                if (result.Status == RunStatus.Error && group.StopOnFailure) break;
            }
            status = Aggregate(results);
        }
        catch (OperationCanceledException)
        {
            status = RunStatus.Cancelled;
        }
        finally
        {
            await _groupRuns.FinishAsync(groupRunId, status);
        }
        return new GroupRunResult(groupRunId, status, results);
    }

    /// <summary>error if any member erred; dry_run if every member was a dry run; success otherwise.</summary>
    public static RunStatus Aggregate(IReadOnlyList<RunResult> results) =>
        results.Any(r => r.Status == RunStatus.Error) ? RunStatus.Error
        : results.Count > 0 && results.All(r => r.Status == RunStatus.DryRun) ? RunStatus.DryRun
        : RunStatus.Success;
}

/// <summary>What a group run did, member by member.</summary>
public sealed record GroupRunResult(long GroupRunId, RunStatus Status, IReadOnlyList<RunResult> Members);
