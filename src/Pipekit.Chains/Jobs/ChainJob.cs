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

    /// <summary>The job asked to keep its instance after it completes, until <see cref="InstanceKeptUntil"/>.</summary>
    public bool KeepInstance { get; init; }

    /// <summary>The instance left in place by a completed job that asked to keep it (null otherwise).</summary>
    public KeptInstance? Instance { get; init; }

    /// <summary>When GC drops the kept instance: the job's end plus its snapshot_ttl.</summary>
    public DateTimeOffset? InstanceKeptUntil { get; init; }

    /// <summary>When GC dropped the kept instance.</summary>
    public DateTimeOffset? InstanceDroppedAt { get; init; }

    /// <summary>The node running (or that ran) the job; see <see cref="Nodes.ChainNode"/>.</summary>
    public string? Owner { get; init; }

    public DateTimeOffset? HeartbeatAt { get; init; }

    /// <summary>A cancel asked on a node that does not run the job, waiting for the owner to honour it.</summary>
    public DateTimeOffset? CancelRequestedAt { get; init; }

    public bool IsTerminal => ChainStages.IsTerminal(Status);
}
