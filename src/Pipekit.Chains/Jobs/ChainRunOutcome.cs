using Pipekit.Chains.Layers;
using Pipekit.Chains.Scripts;

namespace Pipekit.Chains.Jobs;

/// <summary>A finished run: the engine it ran on, its tail (hit or miss), the head's result and each stage's time.</summary>
public sealed record ChainRunOutcome(string Engine, TailState Tail, ChainResult Result, IReadOnlyList<StageTiming> Stages);
