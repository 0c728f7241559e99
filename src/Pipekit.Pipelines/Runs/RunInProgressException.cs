using Pipekit.Core.Errors;

namespace Pipekit.Pipelines.Runs;

/// <summary>The run is still going (or going in another process), so it cannot be resumed or cancelled from here.</summary>
public sealed class RunInProgressException(string message) : ConflictException(message);
