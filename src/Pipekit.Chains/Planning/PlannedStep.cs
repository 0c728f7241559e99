namespace Pipekit.Chains.Planning;

/// <summary>One step of a plan: <c>tail</c> or <c>head</c>, its state hash (the state after it) and, for the tail, whether it is cached.</summary>
public sealed record PlannedStep(int Index, string Path, string Role, string StateHash, bool Cached, string? Layer);
