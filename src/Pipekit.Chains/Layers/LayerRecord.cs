namespace Pipekit.Chains.Layers;

/// <summary>
/// One cached state: the database or file holding the state after <see cref="StepPath"/> (step
/// <see cref="StepIndex"/>) of a chain rooted at <see cref="BaseHash"/>. The step's path and content hash are kept
/// so a later miss can say what differs; <see cref="Fingerprint"/> is the engine description S0 was made from.
/// </summary>
public sealed record LayerRecord
{
    public long Id { get; init; }
    public required string StateHash { get; init; }
    public required string ParentHash { get; init; }
    public required string BaseHash { get; init; }
    public required string Engine { get; init; }
    public required string StoreName { get; init; }
    public required int StepIndex { get; init; }
    public required string StepPath { get; init; }
    public required string ContentHash { get; init; }
    public required string Fingerprint { get; init; }
    public long SizeBytes { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUsedAt { get; init; }
    public long Hits { get; init; }
}
