namespace Pipekit.Chains.Jobs;

/// <summary>How long one stage of a job took.</summary>
public sealed record StageTiming(string Stage, long DurationMs);
