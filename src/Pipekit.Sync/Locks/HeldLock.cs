namespace Pipekit.Sync.Locks;

/// <summary>A module lock this process holds, to be released together with the write that ends its run.</summary>
public sealed record HeldLock(long ModuleId, ProcessIdentity Owner);
