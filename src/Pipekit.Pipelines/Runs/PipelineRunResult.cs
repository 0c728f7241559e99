using Pipekit.Pipelines.Execution;

namespace Pipekit.Pipelines.Runs;

/// <summary>A finished run (or resume) with its id.</summary>
public sealed record PipelineRunResult(long RunId, int Attempt, RunOutcome Outcome);
