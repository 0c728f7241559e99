namespace Pipekit.Sync.Modules;

/// <summary>How staged rows reach the destination (seed 002 "Merge strategies"). There is no upsert on purpose.</summary>
public enum MergeStrategy
{
    /// <summary>Empty the destination, insert everything from staging.</summary>
    Full,

    /// <summary>Delete destination rows whose merge key appears in staging, then insert staging.</summary>
    Incremental,

    /// <summary>Insert only.</summary>
    Append,
}
