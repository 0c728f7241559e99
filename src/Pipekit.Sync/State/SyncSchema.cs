using Pipekit.Core.State;

namespace Pipekit.Sync.State;

/// <summary>Sync's tables in the state store: modules, watermarks, hooks, groups, group runs and the run log.</summary>
public static class SyncSchema
{
    public static StatePart Part { get; } = new("sync", typeof(SyncSchema).Assembly, "Pipekit.Sync.Migrations.");
}
