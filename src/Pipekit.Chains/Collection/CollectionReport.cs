namespace Pipekit.Chains.Collection;

/// <summary>
/// What one GC pass removed, and the cache left behind: jobs past their TTL, layers, leftovers, kept instances past
/// their snapshot_ttl, and jobs failed because the server running them stopped.
/// </summary>
public sealed record CollectionReport(int JobsDeleted, int LayersExpired, int LayersEvicted, int LayersMissing, int LeftoversDropped,
    long BytesFreed, int LayersKept, long BytesKept, int InstancesDropped = 0, int JobsFailed = 0);
