using Pipekit.Chains.Layers;

namespace Pipekit.Chains.Planning;

/// <summary>What <c>chain plan</c> shows: each step with its state hash and whether its layer is cached, and on a miss why.</summary>
public sealed record ChainPlanReport(string Engine, string BaseHash, string TailHash, IReadOnlyList<PlannedStep> Steps, int CachedSteps, MissReason? Miss)
{
    public bool Hit => Miss is null;
}
