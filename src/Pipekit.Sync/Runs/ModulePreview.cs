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

    /// <summary>What the reader should know that the SQL does not show, e.g. that the destination will be created first.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
