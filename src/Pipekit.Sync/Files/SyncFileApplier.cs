using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Scheduling;
using Pipekit.Core.State;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Files;

/// <summary>
/// Applies project files (<c>pipekit apply</c>, <c>POST /api/apply</c>): connections, modules, groups and their
/// schedules are matched by name, everything is validated before anything is written, and the writes happen in one
/// state-store transaction, so a bad file or a failure part-way changes nothing. With
/// <see cref="ApplyOptions.Prune"/>, what the files no longer declare is removed (never a running module, never run
/// history).
/// </summary>
public sealed class SyncFileApplier
{
    private readonly ModuleRepository _modules;
    private readonly GroupRepository _groups;
    private readonly ConnectionRepository _connections;
    private readonly ScheduleRepository _schedules;
    private readonly ConnectionValidator _validator;
    private readonly StateStore _store;
    private readonly ScheduleChanges _scheduleChanges;
    private readonly TimeProvider _time;
    private readonly DriverRegistry _drivers;

    public SyncFileApplier(ModuleRepository modules, GroupRepository groups, ConnectionRepository connections, ScheduleRepository schedules,
        ConnectionValidator validator, StateStore store, ScheduleChanges scheduleChanges, TimeProvider time,
        DriverRegistry drivers)
    {
        _modules = modules;
        _groups = groups;
        _connections = connections;
        _schedules = schedules;
        _validator = validator;
        _store = store;
        _scheduleChanges = scheduleChanges;
        _time = time;
        _drivers = drivers;
    }

    /// <summary><c>modules apply</c> and <c>groups apply</c>: the same apply, limited to the kinds the command is about, never pruning.</summary>
    public Task<IReadOnlyList<ApplyChange>> ApplyAsync(IReadOnlyList<SyncFile> files, bool modules, bool groups, CancellationToken cancellationToken) =>
        ApplyAsync(files.Select(f => new SyncFile(f.Path, modules ? f.Modules : [], groups ? f.Groups : []) { Connections = modules ? f.Connections : [] }).ToList(),
            new ApplyOptions(), cancellationToken);

    /// <summary>
    /// Validates and plans every file, then (unless a dry run) writes the plan in one transaction; returns the plan. A
    /// deadlock or serialization failure (another writer of the same rows) plans again from the state as it is then.
    /// </summary>
    public Task<IReadOnlyList<ApplyChange>> ApplyAsync(IReadOnlyList<SyncFile> files, ApplyOptions options, CancellationToken cancellationToken) =>
        _store.RetryTransientAsync(() => PlanAndWriteAsync(files, options, cancellationToken), cancellationToken);

    private async Task<IReadOnlyList<ApplyChange>> PlanAndWriteAsync(IReadOnlyList<SyncFile> files, ApplyOptions options, CancellationToken cancellationToken)
    {
        var current = new ProjectPlanner.Current(
            await _connections.ListAsync(cancellationToken),
            await _modules.ListAsync(cancellationToken),
            await _groups.ListAsync(cancellationToken),
            await _schedules.ListAsync(GroupScheduleTarget.KindName, null, null, cancellationToken));
        var plan = new ProjectPlanner(_validator, _drivers, _time.GetUtcNow()).Plan(files, options, current);
        if (options.DryRun || !plan.ChangesAnything) return plan.Changes;
        await WriteAsync(plan, cancellationToken);
        if (plan.ScheduleWrites.Count > 0 || plan.ScheduleRemovals.Count > 0) _scheduleChanges.Notify();
        return plan.Changes;
    }

    private async Task WriteAsync(ProjectPlan plan, CancellationToken ct)
    {
        await using var tx = await _store.BeginAsync(ct);

        // Connections first: new ones get their ids, which replace the placeholders the plan's records carry.
        var ids = new Dictionary<long, long>();
        long Real(long id) => id < 0 ? ids[id] : id;
        foreach (var c in plan.ConnectionWrites)
        {
            var record = c with { DefaultDestConnectionId = c.DefaultDestConnectionId is > 0 ? c.DefaultDestConnectionId : null };
            if (c.Id < 0) ids[c.Id] = (await _connections.AddAsync(record with { Id = 0 }, tx, ct)).Id;
            else await _connections.UpdateAsync(record, tx, ct);
        }
        foreach (var c in plan.ConnectionWrites.Where(c => c.DefaultDestConnectionId is < 0))
            await _connections.UpdateAsync(c with { Id = Real(c.Id), DefaultDestConnectionId = Real(c.DefaultDestConnectionId!.Value) }, tx, ct);

        foreach (var id in plan.ScheduleRemovals) await _schedules.DeleteAsync(id, tx, ct);
        foreach (var id in plan.GroupRemovals) await _groups.DeleteAsync(id, tx, ct);
        foreach (var (id, name) in plan.ModuleRemovals)
        {
            // The plan saw the module idle; a run that started since holds its lock, and is never pulled from under it.
            if (await _modules.IsRunningAsync(id, tx, ct)) throw new ModuleRunningException(name);
            await _modules.DeleteAsync(id, tx, ct);
        }

        var saved = await _modules.SaveAllAsync(plan.ModuleWrites.Select(m => m with
        {
            SourceConnectionId = Real(m.SourceConnectionId),
            DestConnectionId = Real(m.DestConnectionId),
            Watermarks = m.Watermarks.Select(w => w with { ConnectionId = Real(w.ConnectionId) }).ToList(),
            Hooks = m.Hooks.Select(h => h with { ConnectionId = Real(h.ConnectionId) }).ToList(),
        }).ToList(), tx, ct);
        foreach (var m in saved) plan.ModuleIds[m.Name] = m.Id;

        foreach (var (group, members) in plan.GroupWrites)
        {
            var id = await _groups.SaveAsync(group with { Members = members.Select((m, i) => new GroupMember(0, plan.ModuleIds[m], i + 1)).ToList() }, tx, ct);
            plan.GroupIds[group.Name] = id;
        }
        foreach (var (schedule, group) in plan.ScheduleWrites)
        {
            var target = schedule with { TargetId = plan.GroupIds[group] };
            if (schedule.Id == 0) await _schedules.AddAsync(target, tx, ct);
            else await _schedules.UpdateAsync(target, tx, ct);
        }
        foreach (var id in plan.ConnectionRemovals) await _connections.DeleteAsync(id, tx, ct);
        await tx.CommitAsync(ct);
    }
}
