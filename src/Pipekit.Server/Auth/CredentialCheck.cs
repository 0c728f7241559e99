using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Pipekit.Core.Auth;

namespace Pipekit.Server.Auth;

/// <summary>The outcome of checking a request's credentials.</summary>
internal enum CredentialOutcome
{
    /// <summary>No password is set: the server only listens on loopback then, and lets requests in.</summary>
    NoPasswordSet,
    Accepted,
    Missing,
    Rejected,

    /// <summary>The address has used up its checks (<see cref="LoginThrottle"/>): the password was not looked at.</summary>
    Throttled,
}

/// <summary>
/// Checks HTTP Basic credentials against the PBKDF2 hash <c>pipekit set-password</c> stored. A PBKDF2 check costs
/// ~100 ms by design, so a success is remembered for a few minutes under the SHA-256 of the header value (never
/// the password itself), tied to the stored hash so that a new password invalidates it at once. Failures are
/// never remembered: each one pays the full cost, and takes one of its address's checks from the <see cref="LoginThrottle"/>
/// before it starts.
/// </summary>
internal sealed class CredentialCheck(Credentials credentials, LoginThrottle throttle, TimeProvider time)
{
    public static readonly TimeSpan RememberFor = TimeSpan.FromMinutes(5);

    // The stored hash is re-read at most once a second: a change made in this process is seen at once (through
    // Credentials.Changes), one made by 'pipekit set-password' in another process within a second, and requests
    // don't each pay a state-database query.
    private static readonly TimeSpan HashFreshFor = TimeSpan.FromSeconds(1);
    private const int MaxRemembered = 1000;

    private readonly ConcurrentDictionary<string, Remembered> _accepted = new(StringComparer.Ordinal);
    private StoredHash? _stored;

    public async Task<CredentialOutcome> CheckAsync(string? authorization, string address, CancellationToken cancellationToken)
    {
        var storedHash = await StoredHashAsync(cancellationToken);
        if (storedHash is null) return CredentialOutcome.NoPasswordSet;
        if (string.IsNullOrEmpty(authorization) || !authorization.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
            return CredentialOutcome.Missing;

        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(authorization)));
        var now = time.GetUtcNow();
        if (_accepted.TryGetValue(key, out var remembered) && remembered.Expires > now && remembered.StoredHash == storedHash)
            return CredentialOutcome.Accepted;

        if (!throttle.TryBegin(address, out _)) return CredentialOutcome.Throttled;
        var ok = false;
        try
        {
            var (user, password) = Decode(authorization["Basic ".Length..].Trim());
            // A malformed header still pays for a full check, so its timing says nothing either.
            ok = await credentials.VerifyAsync(user ?? "", password ?? "", cancellationToken) && user is not null;
        }
        finally
        {
            // A check abandoned half-way (the client hung up) counts as failed: hanging up must not buy free guesses.
            throttle.End(address, failed: !ok);
        }
        if (!ok) return CredentialOutcome.Rejected;
        if (_accepted.Count >= MaxRemembered) _accepted.Clear();
        _accepted[key] = new Remembered(storedHash, now + RememberFor);
        return CredentialOutcome.Accepted;
    }

    /// <summary>The login form's check: the same PBKDF2 verification as a Basic header carrying these credentials.</summary>
    public Task<CredentialOutcome> CheckFormAsync(string user, string password, string address, CancellationToken cancellationToken) =>
        CheckAsync("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password)), address, cancellationToken);

    /// <summary>The stored password hash (null when none is set), re-read at most once a second.</summary>
    public async Task<string?> StoredHashAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var changes = credentials.Changes;
        if (Volatile.Read(ref _stored) is { } cached && cached.Changes == changes && now - cached.ReadAt < HashFreshFor) return cached.Hash;
        var hash = await credentials.GetPasswordHashAsync(cancellationToken);
        Volatile.Write(ref _stored, new StoredHash(hash, changes, now));
        return hash;
    }

    private static (string? User, string? Password) Decode(string token)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
            var colon = text.IndexOf(':');
            return colon < 0 ? (null, null) : (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    private sealed record Remembered(string StoredHash, DateTimeOffset Expires);

    private sealed record StoredHash(string? Hash, long Changes, DateTimeOffset ReadAt);
}
