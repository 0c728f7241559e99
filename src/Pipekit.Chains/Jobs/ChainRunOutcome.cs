using Pipekit.Chains.Layers;
using Pipekit.Chains.Scripts;

namespace Pipekit.Chains.Jobs;

/// <summary>
/// A finished run: the engine it ran on, its tail (hit or miss), the head's result, each stage's time, and the
/// instance when the run was asked to keep it.
/// </summary>
public sealed record ChainRunOutcome(string Engine, TailState Tail, ChainResult Result, IReadOnlyList<StageTiming> Stages, KeptInstance? Kept = null);
