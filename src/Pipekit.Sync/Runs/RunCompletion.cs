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
    /// <summary>The ALTER statements the run made on the destination, one per line.</summary>
    public string? SchemaChanges { get; init; }
    /// <summary>Rows deleted (or marked deleted) because their key left the source; null without delete detection.</summary>
    public long? DeletedRows { get; init; }
    /// <summary>The verification after the run, as JSON (<see cref="Verification.VerifyResult"/>).</summary>
    public string? VerifyJson { get; init; }
    /// <summary>The verification found source and destination apart: the run shows as <c>success, drift</c>.</summary>
    public bool Drift { get; init; }
    /// <summary>How many attempts the run took: 1, or more when it retried after transient errors.</summary>
    public int Attempts { get; init; } = 1;
}
