namespace Pipekit.Sync.Locks;

/// <summary>A module whose lock is taken: who holds it and since when, as the stale-lock sweep reads it.</summary>
internal sealed record LockedModule(long ModuleId, string? Owner, DateTimeOffset? LockedAt);
