using System.Globalization;

namespace Pipekit.Sync.Locks;

/// <summary>Says who holds a module's lock and what to do about it, for every "already running" message.</summary>
public static class LockHolder
{
    /// <summary>
    /// <c>module 'orders' is already running (host db7, pid 4121, since 2026-11-02 09:12:03Z); wait for it to end or stop
    /// it with 'pipekit cancel orders'</c>. An owner that cannot be read is named as it is stored.
    /// </summary>
    public static string AlreadyRunning(string module, string? owner, DateTimeOffset? since)
    {
        var holder = ProcessIdentity.Parse(owner) is { } id
            ? string.Create(CultureInfo.InvariantCulture, $"host {id.Host}, pid {id.Pid}")
            : string.IsNullOrEmpty(owner) ? "holder unknown" : $"holder {owner}";
        var when = since is { } at ? string.Create(CultureInfo.InvariantCulture, $", since {at.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z") : "";
        return $"module '{module}' is already running ({holder}{when}); wait for it to end or stop it with 'pipekit cancel {module}'";
    }
}
