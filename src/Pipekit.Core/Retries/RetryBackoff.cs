namespace Pipekit.Core.Retries;

/// <summary>How the wait between retries grows: a module's and a pipeline task's <c>retry_backoff</c>.</summary>
public enum RetryBackoff
{
    /// <summary>The same <c>retry_delay</c> before every retry.</summary>
    Fixed,

    /// <summary><c>retry_delay</c> before the first retry, then twice the previous wait, up to the caller's cap.</summary>
    Exponential,
}
