using Pipekit.Chains.Layers;
using Pipekit.Chains.Scripts;

namespace Pipekit.Chains.Jobs;

/// <summary>A stored job: what was asked, where it stands, and how it ended.</summary>
public sealed record ChainJob
{
    public long Id { get; init; }
    public string? RequestId { get; init; }
    public string? UserId { get; init; }
    public required string Status { get; init; }
    public string? Stage { get; init; }
    public required string Engine { get; init; }
    public required string HeadPath { get; init; }
    public IReadOnlyDictionary<string, object?> Variables { get; init; } = new Dictionary<string, object?>();
    public int? TimeoutMs { get; init; }
    public int JobTtl { get; init; }
    public int? SnapshotTtl { get; init; }
    public string? WebhookUrl { get; init; }
    public string? TelemetryContext { get; init; }
    public string? TailHash { get; init; }
    public long? LayerId { get; init; }
    public bool? CacheHit { get; init; }
    public MissReason? Miss { get; init; }
    public IReadOnlyList<StageTiming> Stages { get; init; } = [];
    public ChainResult? Result { get; init; }
    public ChainJobError? Error { get; init; }

    /// <summary>Layer builds this job took over after the job building them was cancelled.</summary>
    public int Retries { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }

    public bool IsTerminal => ChainStages.IsTerminal(Status);
}
