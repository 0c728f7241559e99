namespace Pipekit.Chains.Planning;

/// <summary>A chain split at its head: the tail is every step before the head, replayed (or found cached) first.</summary>
public sealed record ChainPlan(IReadOnlyList<ChainStep> Steps, ChainStep Head)
{
    public IReadOnlyList<ChainStep> Tail => Steps.Take(Head.Index).ToList();
}
