using Pipekit.Core.Errors;

namespace Pipekit.Chains.Jobs;

/// <summary>The job ran past its <c>timeout_ms</c>; its statement was cancelled and its instance dropped.</summary>
public sealed class ChainTimeoutException(int timeoutMs, Exception? inner)
    : CannotDoHereException($"the job ran past its timeout of {timeoutMs} ms and was stopped; raise timeout_ms or make the SQL faster", inner, transient: true)
{
    public int TimeoutMs { get; } = timeoutMs;
}
