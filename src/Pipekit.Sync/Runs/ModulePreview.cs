namespace Pipekit.Sync.Runs;

/// <summary>What the next run of a module would execute, with its watermarks resolved live (seed 002 "No hidden generation").</summary>
public sealed record ModulePreview(
    long ModuleId,
    string ResolvedSourceSql,
    string MergeSql,
    IReadOnlyDictionary<string, string> WatermarkValues,
    string StagingTable,
    bool DestinationExists)
{
    /// <summary>The staging (and, for a new destination, destination) DDL the run would execute.</summary>
    public string StagingDdl { get; init; } = "";
}
