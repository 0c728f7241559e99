using Pipekit.Core.Connections;

namespace Pipekit.Sync.Runs;

/// <summary>What one run has gathered so far; written to the run log whatever happens.</summary>
internal sealed class RunState
{
    public long Id { get; set; }
    public RunStatus Status { get; set; } = RunStatus.Error;
    public string? Error { get; set; }
    public long Rows { get; set; }
    public string? ResolvedSql { get; set; }
    public string? MergeSql { get; set; }
    public string? WatermarkJson { get; set; }
    public string? TransferLog { get; set; }
    public string? ErrorDetail { get; set; }
    public string? HookLog { get; set; }
    public bool HookFailed { get; set; }
    public List<string> SchemaChanges { get; } = [];
    public long? DeletedRows { get; set; }
    public string? VerifyJson { get; set; }
    public bool Drift { get; set; }
    /// <summary>The merge committed: <see cref="Rows"/> landed in the destination.</summary>
    public bool Merged { get; set; }
    /// <summary>The merge's COMMIT was sent: an error now may have come after the destination changed.</summary>
    public bool Committing { get; set; }
    /// <summary>The attempt going now, from 1; the run log records the last.</summary>
    public int Attempt { get; set; } = 1;
    public IReadOnlyDictionary<long, ConnectionRecord>? Connections { get; set; }
}
