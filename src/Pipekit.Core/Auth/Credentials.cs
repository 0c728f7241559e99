using Pipekit.Core.State;

namespace Pipekit.Core.Auth;

/// <summary>The single HTTP Basic user, kept in <c>settings</c> as <c>auth.username</c> and <c>auth.password_hash</c>.</summary>
public sealed class Credentials
{
    public const string UsernameKey = "auth.username";
    public const string PasswordHashKey = "auth.password_hash";
    private readonly SettingsRepository _settings;
    private long _changes;

    public Credentials(SettingsRepository settings)
    {
        _settings = settings;
    }

    /// <summary>
    /// Settings that hold the credentials: never shown or changed through the settings API, only by
    /// <c>pipekit set-password</c>.
    /// </summary>
    public static bool IsCredentialKey(string key) => key.StartsWith("auth.", StringComparison.Ordinal);

    /// <summary>The stored password hash, or null when no password is set. It changes whenever the password does.</summary>
    public Task<string?> GetPasswordHashAsync(CancellationToken cancellationToken) => _settings.GetAsync(PasswordHashKey, cancellationToken);

    public async Task SetAsync(string username, string password, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(username) || username.Contains(':'))
            throw new ArgumentException("user name must be non-empty and must not contain ':'", nameof(username));
        if (password.Length < 8)
            throw new ArgumentException("password must be at least 8 characters", nameof(password));
        var hash = PasswordHasher.Hash(password);
        await _settings.SetAsync(UsernameKey, username, cancellationToken);
        await _settings.SetAsync(PasswordHashKey, hash, cancellationToken);
        Interlocked.Increment(ref _changes);
    }

    /// <summary>Counts password changes made through this instance, so caches in this process can notice them at once.</summary>
    public long Changes => Interlocked.Read(ref _changes);

    public async Task<bool> IsConfiguredAsync(CancellationToken cancellationToken) =>
        await _settings.GetAsync(PasswordHashKey, cancellationToken) is not null;

    public async Task<string?> GetUsernameAsync(CancellationToken cancellationToken) =>
        await _settings.GetAsync(UsernameKey, cancellationToken);

    /// <summary>True when both match; the user name is compared in constant time too, so timing reveals neither.</summary>
    public async Task<bool> VerifyAsync(string username, string password, CancellationToken cancellationToken)
    {
        var storedUser = await _settings.GetAsync(UsernameKey, cancellationToken);
        var storedHash = await _settings.GetAsync(PasswordHashKey, cancellationToken);
        if (storedUser is null || storedHash is null) return false;
        var userOk = System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(username), System.Text.Encoding.UTF8.GetBytes(storedUser));
        var passwordOk = PasswordHasher.Verify(password, storedHash);
        return userOk & passwordOk;
    }
}
