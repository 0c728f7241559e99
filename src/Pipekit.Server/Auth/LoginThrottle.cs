namespace Pipekit.Server.Auth;

/// <summary>
/// Counts password checks per remote address: after <see cref="MaxFailures"/> failures within a minute the address is
/// locked out for a minute, and every request from it gets 429 without its password being checked.
/// </summary>
/// <remarks>
/// A check is counted when it begins, not when it fails: <see cref="TryBegin"/> takes a slot atomically, and an address
/// with as many failures plus checks in flight as the limit gets no more. So a burst of concurrent guesses gets at most
/// <see cref="MaxFailures"/> checks, as documented, instead of as many as arrive before the first one fails (a PBKDF2
/// check takes ~100 ms). A check that succeeds gives its slot back.
/// </remarks>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan Lockout = TimeSpan.FromMinutes(1);
    private const int MaxTrackedAddresses = 10_000;
    // What a request hears while the checks in flight may still lock its address out.
    private static readonly TimeSpan Busy = TimeSpan.FromSeconds(1);

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

    /// <summary>
    /// Takes one of the address's checks before its password is verified; false (with when to retry) when it is locked out
    /// or its failures and checks in flight reach the limit. Every true must be followed by one <see cref="End"/>.
    /// </summary>
    public bool TryBegin(string address, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var state = StateOf(address, now);
            if (state.LockedUntil is { } until && until > now)
            {
                retryAfter = until - now;
                return false;
            }
            Expire(state, now);
            if (state.Failures.Count + state.InFlight >= MaxFailures)
            {
                retryAfter = Busy;
                return false;
            }
            state.InFlight++;
            retryAfter = TimeSpan.Zero;
            return true;
        }
    }

    /// <summary>Ends a check begun with <see cref="TryBegin"/>; a failed one counts towards the lockout.</summary>
    public void End(string address, bool failed)
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            var state = StateOf(address, now);
            if (state.InFlight > 0) state.InFlight--;
            if (!failed) return;
            Expire(state, now);
            state.Failures.Enqueue(now);
            if (state.Failures.Count >= MaxFailures)
            {
                state.LockedUntil = now + Lockout;
                state.Failures.Clear();
            }
        }
    }

    private Address StateOf(string address, DateTimeOffset now)
    {
        if (!_addresses.TryGetValue(address, out var state))
        {
            if (_addresses.Count >= MaxTrackedAddresses) Prune(now);
            _addresses[address] = state = new Address();
        }
        return state;
    }

    private static void Expire(Address state, DateTimeOffset now)
    {
        while (state.Failures.Count > 0 && now - state.Failures.Peek() >= Window) state.Failures.Dequeue();
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, state) in _addresses.ToList())
            if (state.InFlight == 0 && (state.LockedUntil is null || state.LockedUntil <= now)
                && (state.Failures.Count == 0 || now - state.Failures.Last() >= Window))
                _addresses.Remove(key);
    }

    private sealed class Address
    {
        public Queue<DateTimeOffset> Failures { get; } = new();
        public int InFlight { get; set; }
        public DateTimeOffset? LockedUntil { get; set; }
    }
}
