using Pipekit.Core.Retries;
using Pipekit.Sync.Watermarks;
using Pipekit.Sync.Hooks;

namespace Pipekit.Sync.Modules;

/// <summary>A sync module: one source query into one destination table, with its watermarks and hooks.</summary>
public sealed record Module
{
    public long Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Secrets scope for the module's connections; null means <c>[global]</c>.</summary>
    public string? Project { get; init; }
    public long SourceConnectionId { get; init; }
    public long DestConnectionId { get; init; }
    public required string DestTable { get; init; }
    /// <summary>Free SQL text with <c>{watermark}</c> placeholders.</summary>
    public required string SourceQuery { get; init; }
    public MergeStrategy MergeStrategy { get; init; }
    /// <summary>Destination column(s), comma-separated, matched by the incremental DELETE.</summary>
    public string? MergeKey { get; init; }
    public IReadOnlyList<ModuleColumn> Columns { get; init; } = [];
    /// <summary>What an incremental run does with destination rows whose key left the source.</summary>
    public DeleteDetection DeleteDetection { get; init; }
    /// <summary>The source's key set for delete detection and verification; null derives it from <see cref="SourceQuery"/>.</summary>
    public string? KeysQuery { get; init; }
    /// <summary>An empty key set may delete (or mark) every destination row; otherwise such a run fails.</summary>
    public bool AllowEmptySource { get; init; }
    /// <summary>What a run does when the source's columns no longer fit the destination.</summary>
    public SchemaChangeRule SchemaChange { get; init; }
    /// <summary>The verification run after every successful run.</summary>
    public VerifyMode Verify { get; init; }
    /// <summary>A failed hook does not fail the command that ran the module (the merge stands either way).</summary>
    public bool HooksMayFail { get; init; }

    /// <summary>How a full run replaces the destination's rows: through staging (default), directly, or by a table swap.</summary>
    public FullLoad FullLoad { get; init; }

    /// <summary>Extra attempts after a run fails with a transient error before its merge committed (0 = none).</summary>
    public int Retries { get; init; }
    /// <summary>The wait before the first retry.</summary>
    public TimeSpan RetryDelay { get; init; } = RetryPolicy.DefaultDelay;
    /// <summary>Whether the wait stays the same or doubles after each retry.</summary>
    public RetryBackoff RetryBackoff { get; init; }
    public bool Enabled { get; init; } = true;
    public string? Notes { get; init; }
    /// <summary>The source SQL the next run would execute, materialised before any data moves.</summary>
    public string? NextResolvedQuery { get; init; }
    /// <summary>The merge SQL the next run would execute.</summary>
    public string? NextMergeSql { get; init; }
    public bool Running { get; init; }
    public string? LockOwner { get; init; }
    public DateTimeOffset? LockedAt { get; init; }
    public IReadOnlyList<Watermark> Watermarks { get; init; } = [];
    public IReadOnlyList<Hook> Hooks { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The merge-key columns, trimmed, in order.</summary>
    public IReadOnlyList<string> MergeKeyColumns =>
        string.IsNullOrWhiteSpace(MergeKey) ? [] : MergeKey.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
