namespace Pipekit.Sync.Runs;

/// <summary>Everything written to a run_log row when the run ends.</summary>
public sealed record RunCompletion
{
    public required RunStatus Status { get; init; }
    public string? Error { get; init; }
    public long? RowCount { get; init; }
    public string? ResolvedSourceSql { get; init; }
    public string? MergeSql { get; init; }
    public string? WatermarkValuesJson { get; init; }
    public string? TransferLog { get; init; }
    public string? ErrorDetail { get; init; }
    public string? HookLog { get; init; }
    public bool HookFailed { get; init; }
}
