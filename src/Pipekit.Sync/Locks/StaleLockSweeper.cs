using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Configuration;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Sync.Locks;

/// <summary>
/// Clears locks whose owner died (seed 002 "Locking"): the owner PID no longer runs on this host, or the lock
/// is older than <c>[sync].stale_lock_hours</c>. Runs those owners left open are marked as interrupted.
/// Wherever a lock is met it is checked: the server sweeps fully when it starts and every
/// <c>[sync].stale_lock_sweep_seconds</c>; <see cref="Runs.RunCoordinator"/> sweeps the locks before every run it starts,
/// whoever asks for it, and a cancel of a module whose holder is gone clears that lock, so a lock left by a killed
/// process never blocks the next run.
/// </summary>
public sealed class StaleLockSweeper
{
    private readonly ModuleLocks _locks;
    private readonly RunLogRepository _runs;
    private readonly TimeProvider _time;
    private readonly TimeSpan _maxAge;
    private readonly ILogger _logger;

    public StaleLockSweeper(ModuleLocks locks, RunLogRepository runs, TimeProvider time, PipekitConfig config, ILogger<StaleLockSweeper>? logger = null)
    {
        _locks = locks;
        _runs = runs;
        _time = time;
        _maxAge = TimeSpan.FromHours(config.Sync.StaleLockHours);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Clears stale locks and marks every run left open by a process that is gone as interrupted (a queued run holds no
    /// lock, so only this full sweep finds it). Returns how many locks were cleared.
    /// </summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        var cleared = await ClearLocksAsync(cancellationToken);
        await MarkInterruptedAsync(cancellationToken);
        return cleared;
    }

    /// <summary>
    /// Clears stale locks, and marks the runs of their dead owners interrupted only when it cleared one: cheap enough to
    /// run before every run start (one read of the locked modules). Returns how many locks were cleared.
    /// </summary>
    public async Task<int> SweepLocksAsync(CancellationToken cancellationToken)
    {
        var cleared = await ClearLocksAsync(cancellationToken);
        if (cleared > 0) await MarkInterruptedAsync(cancellationToken);
        return cleared;
    }

    /// <summary>
    /// Clears the lock of one module when its holder is a process on this host that is gone (the cancel of a run whose
    /// process died), and marks the runs that process left open as interrupted. Returns the id of the module's run that
    /// process left open (0 when it left none), or null when the lock is not stale (free, or its holder still runs or
    /// runs on another host).
    /// </summary>
    public async Task<long?> ClearIfDeadAsync(long moduleId, CancellationToken cancellationToken)
    {
        var held = (await _locks.ListHeldAsync(cancellationToken)).FirstOrDefault(h => h.ModuleId == moduleId);
        if (held is null) return null;
        var identity = ProcessIdentity.Parse(held.Owner);
        if (identity is not null && !identity.IsDeadOnThisHost()) return null;
        var run = await _runs.OpenRunOfAsync(moduleId, held.Owner, cancellationToken);
        await _locks.ForceReleaseAsync(moduleId, held.Owner, cancellationToken);
        await MarkInterruptedAsync(cancellationToken);
        _logger.LogWarning("Cleared the lock on module {ModuleId} held by {Owner}, a process that is gone, on a cancel request", moduleId, held.Owner);
        return run ?? 0;
    }

    /// <summary>
    /// "Clear lock" by hand: clears <paramref name="module"/>'s lock only when its holder is provably gone (see
    /// <see cref="LockState"/>), marks the runs the holder left open as interrupted, and returns the id of the module's
    /// run it left open (0 when none). A free module, or a holder that still runs or cannot be checked from this host, is
    /// a <see cref="RunConflictException"/> and changes nothing.
    /// </summary>
    public async Task<long> ClearGoneHolderAsync(Module module, CancellationToken cancellationToken)
    {
        if (LockState.Of(module) is not { } state) throw new RunConflictException($"module '{module.Name}' is not locked; nothing to clear");
        if (!state.HolderGone)
            throw new RunConflictException(state.OnThisHost
                ? $"module '{module.Name}' is locked by {state.Holder}, which still runs; wait for its run to end or stop it with 'pipekit cancel {module.Name}'"
                : $"module '{module.Name}' is locked by {state.Holder} on another host, which cannot be checked from here; stop the run there, or the lock clears after [sync].stale_lock_hours");
        return await ClearIfDeadAsync(module.Id, cancellationToken)
            ?? throw new RunConflictException($"module '{module.Name}' is no longer locked by {state.Holder}; reload to see who holds it now");
    }

    private async Task<int> ClearLocksAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var cleared = 0;
        foreach (var (moduleId, owner, lockedAt) in await _locks.ListHeldAsync(cancellationToken))
        {
            var identity = ProcessIdentity.Parse(owner);
            var dead = identity is null || identity.IsDeadOnThisHost();
            var tooOld = lockedAt is { } at && now - at > _maxAge;
            if (!dead && !tooOld) continue;
            await _locks.ForceReleaseAsync(moduleId, owner, cancellationToken);
            cleared++;
            _logger.LogWarning("Cleared stale lock on module {ModuleId} held by {Owner} since {LockedAt} ({Reason})",
                moduleId, owner, lockedAt, dead ? "owner process is gone" : "older than the limit");
        }
        return cleared;
    }

    private Task<int> MarkInterruptedAsync(CancellationToken cancellationToken) =>
        _runs.MarkInterruptedAsync(owner =>
        {
            var identity = ProcessIdentity.Parse(owner);
            return identity is null || identity.IsDeadOnThisHost();
        }, cancellationToken);
}
