using System.Diagnostics;
using System.Globalization;

namespace Pipekit.Chains.Nodes;

/// <summary>
/// This Chains service among the nodes that share one state store: <c>host:pid:random</c>, new at every start, so a
/// restarted server is a new node and two services in one process are two nodes. A node owns the jobs it runs and
/// the instance slots it holds, and renews their heartbeat every <see cref="HeartbeatInterval"/>; another node may
/// take them over (fail the job, free the slot) only once the heartbeat is older than <see cref="Lease"/>, or at
/// once when the owner names a process on this host that no longer runs.
/// </summary>
public sealed class ChainNode
{
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    public ChainNode()
    {
        Id = string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}");
    }

    internal ChainNode(string id)
    {
        Id = id;
    }

    public string Id { get; }

    /// <summary>Whether <paramref name="owner"/> has lost its claim at <paramref name="now"/>: no owner, an old heartbeat, or a dead process here.</summary>
    public bool IsLapsed(string? owner, DateTimeOffset? heartbeatAt, DateTimeOffset now)
    {
        if (owner is null || heartbeatAt is null) return true;
        if (owner == Id) return false;
        return heartbeatAt.Value + Lease < now || IsGoneOnThisHost(owner);
    }

    /// <summary>True when <paramref name="owner"/> names a process on this host that no longer runs.</summary>
    public static bool IsGoneOnThisHost(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 3 || !string.Equals(parts[0], Environment.MachineName, StringComparison.Ordinal)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            return false;
        if (pid == Environment.ProcessId) return false;
        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (InvalidOperationException)
        {
            return true;
        }
    }
}
