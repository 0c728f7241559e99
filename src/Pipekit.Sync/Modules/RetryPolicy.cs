using Pipekit.Core.Retries;

namespace Pipekit.Sync.Modules;

/// <summary>
/// A module's retries: how many extra attempts a run gets after a transient failure (a refused connection, a timeout,
/// a deadlock, a serialization failure) and how long it waits before each. A terminal error never retries.
/// </summary>
public static class RetryPolicy
{
    /// <summary>The most retries a module may ask for.</summary>
    public const int MaxRetries = 10;

    /// <summary>The longest wait before one retry, and the cap of an exponential backoff.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>The default wait before a retry.</summary>
    public static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(30);

    /// <summary>The wait before attempt <paramref name="failedAttempt"/> + 1, after attempt <paramref name="failedAttempt"/> (1-based) failed.</summary>
    public static TimeSpan DelayAfter(Module module, int failedAttempt)
    {
        ArgumentNullException.ThrowIfNull(module);
        return RetryDelay.Before(failedAttempt, module.RetryDelay, module.RetryBackoff, MaxDelay);
    }
}
