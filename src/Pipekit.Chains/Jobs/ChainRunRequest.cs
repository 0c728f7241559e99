using Pipekit.Chains.Planning;

namespace Pipekit.Chains.Jobs;

/// <summary>
/// What one run needs: the planned chain, the engine, the head's variables, a timeout and the instance's name; with
/// <paramref name="KeepInstance"/> the instance is left in place when the head completes instead of being dropped.
/// </summary>
public sealed record ChainRunRequest(ChainPlan Plan, string? Engine, IReadOnlyDictionary<string, object?> Variables, int? TimeoutMs, string InstanceName,
    bool KeepInstance = false);
