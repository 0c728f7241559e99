using System.Globalization;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Locks;

/// <summary>
/// Who holds a module's lock, as a page or the API shows it: the stored owner, its host and pid when the owner reads as a
/// <see cref="ProcessIdentity"/>, since when, and whether the holder is provably gone (a process on this host that no
/// longer runs, or an owner no Pipekit process wrote). Only a lock whose holder is gone may be cleared by hand; a holder
/// on another host cannot be checked from here, and its lock clears after <c>[sync].stale_lock_hours</c>.
/// </summary>
public sealed record LockState(string? Owner, string? Host, int? Pid, DateTimeOffset? Since, bool HolderGone, bool OnThisHost)
{
    /// <summary>The lock of <paramref name="module"/>, or null when it is free.</summary>
    public static LockState? Of(Module module)
    {
        if (!module.Running) return null;
        var identity = ProcessIdentity.Parse(module.LockOwner);
        return identity is null
            ? new LockState(module.LockOwner, null, null, module.LockedAt, HolderGone: true, OnThisHost: false)
            : new LockState(module.LockOwner, identity.Host, identity.Pid, module.LockedAt, identity.IsDeadOnThisHost(),
                string.Equals(identity.Host, Environment.MachineName, StringComparison.Ordinal));
    }

    /// <summary><c>host db7, pid 4121</c>, or the owner as stored when it is not a process identity.</summary>
    public string Holder => Host is not null
        ? string.Create(CultureInfo.InvariantCulture, $"host {Host}, pid {Pid}")
        : string.IsNullOrEmpty(Owner) ? "an unknown holder" : $"holder '{Owner}'";
}
