namespace Pipekit.Chains.Collection;

/// <summary>What one GC pass removed, and the cache left behind.</summary>
public sealed record CollectionReport(int JobsDeleted, int LayersExpired, int LayersEvicted, int LayersMissing, int LeftoversDropped,
    long BytesFreed, int LayersKept, long BytesKept);
