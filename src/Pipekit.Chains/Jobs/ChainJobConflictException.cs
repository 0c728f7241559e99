using Pipekit.Core.Errors;

namespace Pipekit.Chains.Jobs;

/// <summary>The job is not in a state that allows this (append after run, run twice, cancel a finished job); the API answers 409.</summary>
public sealed class ChainJobConflictException(string message) : ConflictException(message);
