using Pipekit.Core.Errors;

namespace Pipekit.Pipelines.Runs;

/// <summary>A run cannot start or resume as things are (unmet <c>requires</c>, nothing to resume); the message says why and what to do.</summary>
public sealed class RunRefusedException(string message) : CannotDoHereException(message);
