namespace Pipekit.Sync.Modules;

/// <summary>How the wait between a module's retries grows.</summary>
public enum RetryBackoff
{
    /// <summary>The same <c>retry_delay</c> before every retry.</summary>
    Fixed,

    /// <summary><c>retry_delay</c> before the first retry, then twice the previous wait (capped at an hour).</summary>
    Exponential,
}
