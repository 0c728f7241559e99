using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;

namespace Pipekit.Core.Configuration;

/// <summary>Checks <c>[state] url</c> (or <c>PIPEKIT_STATE_URL</c>) and <c>[state] password</c> before anything connects.</summary>
internal static class StateUrl
{
    private static readonly string[] Schemes = ["postgres", "postgresql"];

    private const string PasswordHint = "store it with 'pipekit secrets set NAME' and set [state] password = \"$NAME\"";

    /// <summary>Null when <paramref name="url"/> names a PostgreSQL database without a password, else what is wrong.</summary>
    public static string? Validate(string url)
    {
        if (!ServerUri.HasScheme(url, Schemes))
            return "must be a postgres://user@host:port/database URL (leave it out to keep the SQLite file)";
        ServerUri parsed;
        try
        {
            parsed = ServerUri.Parse(url);
        }
        catch (DriverException ex)
        {
            return ex.Message;
        }
        if (parsed.Password is not null) return $"must not contain a password; {PasswordHint}";
        if (parsed.Database is null) return "must name a database: postgres://user@host:port/database";
        return null;
    }

    /// <summary>Null when <paramref name="password"/> is a <c>$NAME</c> reference; the message never repeats a literal value.</summary>
    public static string? ValidatePassword(string password) =>
        SecretStore.TryParseReference(password, out _) ? null : $"must be a $NAME secret reference, not a literal password; {PasswordHint}";
}
