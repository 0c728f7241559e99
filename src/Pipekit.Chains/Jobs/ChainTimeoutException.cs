namespace Pipekit.Chains.Jobs;

/// <summary>The job ran past its <c>timeout_ms</c>; its statement was cancelled and its instance dropped.</summary>
public sealed class ChainTimeoutException(int timeoutMs, Exception? inner)
    : Exception($"the job ran past its timeout of {timeoutMs} ms and was stopped", inner)
{
    public int TimeoutMs { get; } = timeoutMs;
}
