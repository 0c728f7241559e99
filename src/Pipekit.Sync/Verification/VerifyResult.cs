namespace Pipekit.Sync.Verification;

/// <summary>
/// The outcome of comparing a module's source with its destination. <see cref="Missing"/> counts rows (or keys) the
/// source has and the destination lacks, <see cref="Extra"/> the reverse; both are null for a counts-only comparison.
/// A row whose values differ under <c>--columns</c> counts once as missing and once as extra.
/// </summary>
public sealed record VerifyResult
{
    public required string Module { get; init; }
    /// <summary><c>counts</c>, <c>keys</c> or <c>columns</c>.</summary>
    public required string Compared { get; init; }
    public string? Where { get; init; }
    public long SourceRows { get; init; }
    public long DestRows { get; init; }
    public bool Match { get; init; }
    public long? Missing { get; init; }
    public long? Extra { get; init; }
    /// <summary>Up to ten missing keys (or rows), values separated by <c>|</c>.</summary>
    public IReadOnlyList<string> MissingSample { get; init; } = [];
    public IReadOnlyList<string> ExtraSample { get; init; } = [];
    /// <summary>True when more differing rows were found than were kept to compare; the counts are then lower bounds.</summary>
    public bool Truncated { get; init; }
    public long ElapsedMs { get; init; }
}
