using System.Data.Common;
using Pipekit.Core.State;

namespace Pipekit.Sync.Locks;

/// <summary>
/// The module lock of seed 002: <c>UPDATE module SET running = 1 … WHERE id = ? AND running = 0</c>. One
/// atomic statement, so every trigger (CLI, API, scheduler, group) races on the same row and exactly one wins.
/// </summary>
public sealed class ModuleLocks
{
    private readonly StateStore _store;
    private readonly TimeProvider _time;

    public ModuleLocks(StateStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public async Task<bool> TryAcquireAsync(long moduleId, ProcessIdentity owner, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecAsync(
            "UPDATE module SET running = 1, lock_owner = @owner, locked_at = @now WHERE id = @moduleId AND running = 0",
            new StateArgs { { "moduleId", moduleId }, { "owner", owner.ToString() }, { "now", StateClock.Format(_time.GetUtcNow()) } },
            null, cancellationToken) == 1;
    }

    /// <summary>Releases a lock this owner holds. Not cancellable: it runs in <c>finally</c> after a cancelled run.</summary>
    public async Task ReleaseAsync(long moduleId, ProcessIdentity owner)
    {
        await using var c = await _store.OpenAsync(CancellationToken.None);
        await ReleaseAsync(c, null, new HeldLock(moduleId, owner));
    }

    /// <summary>
    /// Releases a held lock inside the caller's transaction, so that the run's end and the free module become
    /// visible together: whoever sees the run finished also sees the module free.
    /// </summary>
    internal static Task ReleaseAsync(DbConnection connection, DbTransaction? transaction, HeldLock held) =>
        connection.ExecAsync(
            "UPDATE module SET running = 0, lock_owner = NULL, locked_at = NULL WHERE id = @moduleId AND lock_owner = @owner",
            new StateArgs { { "moduleId", held.ModuleId }, { "owner", held.Owner.ToString() } }, transaction, CancellationToken.None);

    /// <summary>Locks currently held, with their owners, for stale-lock clearing.</summary>
    internal async Task<IReadOnlyList<LockedModule>> ListHeldAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.RowsAsync("SELECT id, lock_owner, locked_at FROM module WHERE running = 1", null,
            r => new LockedModule(r.GetInt64(0), r.TextOrNull(1), r.TextOrNull(2) is { } at ? StateClock.Parse(at) : null), null, cancellationToken);
    }

    internal async Task ForceReleaseAsync(long moduleId, string? owner, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecAsync(
            "UPDATE module SET running = 0, lock_owner = NULL, locked_at = NULL WHERE id = @moduleId AND running = 1 AND lock_owner IS NOT DISTINCT FROM @owner",
            new StateArgs { { "moduleId", moduleId }, { "owner", owner } }, null, cancellationToken);
    }
}
