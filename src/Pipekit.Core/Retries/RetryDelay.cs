namespace Pipekit.Core.Retries;

/// <summary>The wait before a retry, for both a module's and a pipeline task's retries.</summary>
public static class RetryDelay
{
    /// <summary>
    /// The wait before retry number <paramref name="retry"/> (1 is the first retry): <paramref name="delay"/> each time,
    /// or doubled per retry after the first when exponential; never more than <paramref name="cap"/>.
    /// </summary>
    public static TimeSpan Before(int retry, TimeSpan delay, RetryBackoff backoff, TimeSpan cap)
    {
        if (delay <= TimeSpan.Zero) return TimeSpan.Zero;
        if (backoff == RetryBackoff.Fixed || retry <= 1) return delay < cap ? delay : cap;
        // 2^(retry-1) in doubles: no overflow for any retry count, and anything past the cap is the cap.
        var ticks = delay.Ticks * Math.Pow(2, retry - 1);
        return ticks >= cap.Ticks ? cap : TimeSpan.FromTicks((long)ticks);
    }
}
