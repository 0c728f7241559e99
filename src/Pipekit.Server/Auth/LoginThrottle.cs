namespace Pipekit.Server.Auth;

/// <summary>
/// Counts failed logins per remote address: after <see cref="MaxFailures"/> failures within a minute the address
/// is locked out for a minute, and every request from it gets 429 without its password being checked.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(1);
    private const int MaxTrackedAddresses = 10_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, Address> _addresses = new(StringComparer.Ordinal);

    /// <summary>True while the address is locked out, with how long it still is.</summary>
    public bool IsLockedOut(string address, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_addresses.TryGetValue(address, out var state) && state.LockedUntil is { } until && until > now)
            {
                retryAfter = until - now;
                return true;
            }
        }
        retryAfter = TimeSpan.Zero;
        return false;
    }

    public void RecordFailure(string address)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (!_addresses.TryGetValue(address, out var state))
            {
                if (_addresses.Count >= MaxTrackedAddresses) Prune(now);
                _addresses[address] = state = new Address();
            }
            while (state.Failures.Count > 0 && now - state.Failures.Peek() >= Window) state.Failures.Dequeue();
            state.Failures.Enqueue(now);
            if (state.Failures.Count >= MaxFailures)
            {
                state.LockedUntil = now + Lockout;
                state.Failures.Clear();
            }
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, state) in _addresses.ToList())
            if ((state.LockedUntil is null || state.LockedUntil <= now) && (state.Failures.Count == 0 || now - state.Failures.Last() >= Window))
                _addresses.Remove(key);
    }

    private sealed class Address
    {
        public Queue<DateTimeOffset> Failures { get; } = new();
        public DateTimeOffset? LockedUntil { get; set; }
    }
}
