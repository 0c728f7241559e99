namespace Pipekit.Chains.Jobs;

/// <summary>
/// A new job as <c>POST /v1/jobs</c> describes it. <see cref="ProjectTree"/> maps paths to contents (more can follow
/// through append when <see cref="DeferRun"/> is set); TTLs are in seconds; <see cref="TelemetryContext"/> is kept as
/// the JSON text it came as.
/// </summary>
public sealed record ChainJobRequest
{
    public string? RequestId { get; init; }
    public string? UserId { get; init; }
    public IReadOnlyDictionary<string, string> ProjectTree { get; init; } = new Dictionary<string, string>();
    public required string HeadPath { get; init; }
    public IReadOnlyDictionary<string, object?> Variables { get; init; } = new Dictionary<string, object?>();
    public int? SnapshotTtl { get; init; }
    public int? JobTtl { get; init; }
    public int? TimeoutMs { get; init; }
    public string? Engine { get; init; }
    public string? TelemetryContext { get; init; }
    public string? WebhookUrl { get; init; }
    public bool DeferRun { get; init; }

    /// <summary>Keep the instance <c>pkj_&lt;id&gt;</c> after the job completes, until its snapshot_ttl expires.</summary>
    public bool KeepInstance { get; init; }
}
