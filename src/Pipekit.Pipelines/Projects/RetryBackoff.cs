namespace Pipekit.Pipelines.Projects;

/// <summary><c>retry_backoff</c>: how the delay grows between attempts.</summary>
public enum RetryBackoff
{
    /// <summary>Every retry waits <c>retry_delay</c>.</summary>
    Fixed,

    /// <summary>Retry n waits <c>retry_delay × 2^(n-1)</c>.</summary>
    Exponential,
}
