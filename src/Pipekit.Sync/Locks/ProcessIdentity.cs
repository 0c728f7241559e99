using System.Globalization;

namespace Pipekit.Sync.Locks;

/// <summary>
/// Who holds a module lock: <c>host:pid:start</c>, where start is the process start time in clock ticks since
/// boot (from <c>/proc/PID/stat</c>). The start time tells a live owner from a new process that reused its PID.
/// </summary>
public sealed record ProcessIdentity(string Host, int Pid, long StartTicks)
{
    public static ProcessIdentity Current() =>
        new(Environment.MachineName, Environment.ProcessId, ReadStat(Environment.ProcessId)?.StartTicks ?? 0);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Host}:{Pid}:{StartTicks}");

    public static ProcessIdentity? Parse(string? owner)
    {
        if (string.IsNullOrEmpty(owner)) return null;
        var parts = owner.Split(':');
        if (parts.Length != 3
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            return null;
        return new ProcessIdentity(parts[0], pid, start);
    }

    /// <summary>
    /// True when this identity names a process on this host that no longer runs: no such PID, a PID reused by a process
    /// started at another time, or a zombie (killed, not yet reaped by its parent: its /proc entry stays, but it will
    /// never release anything).
    /// </summary>
    public bool IsDeadOnThisHost()
    {
        if (!string.Equals(Host, Environment.MachineName, StringComparison.Ordinal)) return false;
        if (ReadStat(Pid) is not { } stat) return true;
        return stat.State is 'Z' or 'X' || (StartTicks != 0 && stat.StartTicks != StartTicks);
    }

    private static (char State, long StartTicks)? ReadStat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may contain spaces; fields after it are plain:
            // field 3 is the state, field 22 the start time.
            var afterName = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (afterName[0][0], long.Parse(afterName[19], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }
}
