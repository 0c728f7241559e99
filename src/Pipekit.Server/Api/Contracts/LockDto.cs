using Pipekit.Sync.Locks;

namespace Pipekit.Server.Api.Contracts;

/// <summary>
/// <c>GET /api/modules/{id}/lock</c>: whether a run holds the module's lock, who (host, pid, the owner as stored), since
/// when, and <c>holder_gone</c>: true when that process provably no longer runs, the only case
/// <c>POST /api/modules/{id}/clear-lock</c> accepts.
/// </summary>
internal sealed record LockDto(bool Locked, string? Owner, string? Host, int? Pid, DateTimeOffset? Since, bool HolderGone)
{
    public static LockDto From(LockState? state) => state is null
        ? new LockDto(false, null, null, null, null, false)
        : new LockDto(true, state.Owner, state.Host, state.Pid, state.Since, state.HolderGone);
}

/// <summary>
/// <c>POST /api/modules/{id}/clear-lock</c>: the lock is free; <c>interrupted_run_id</c> is the run its gone holder left open,
/// now recorded as interrupted (null when it left none).
/// </summary>
internal sealed record LockClearedDto(long ModuleId, long? InterruptedRunId);
