using System.Data.Common;
using System.Text.RegularExpressions;

namespace Pipekit.Core.Connections;

/// <summary>
/// Finds a password written into a connection URI or native connection string, in every form the providers accept:
/// URI user info (<c>user:password@</c>), URI query parameters and connection-string keywords, whatever their case or
/// percent-encoding: <c>password</c>, <c>pwd</c>, <c>psw</c> (Npgsql), <c>pass</c>, <c>passwd</c>, and any keyword
/// holding "password", "secret" or "token" (<c>SSL Password</c>, DuckDB's <c>s3_secret_access_key</c>, SqlClient's
/// access token).
/// </summary>
/// <remarks>
/// It errs on the side of refusing: a key is looked for in every <c>?</c>, <c>&amp;</c> or <c>;</c> separated segment,
/// even inside a quoted value, because a string that merely looks like it holds a password is better fixed by its
/// author than stored.
/// </remarks>
internal static partial class ConnectionPasswordForms
{
    private static readonly string[] ExactKeys = ["password", "pwd", "psw", "pass", "passwd", "passphrase"];
    private static readonly string[] KeyParts = ["password", "secret", "token"];

    /// <summary>How <paramref name="url"/> carries a password (<c>user:password@</c>, or the keyword as written), or null when it does not.</summary>
    public static string? Find(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme > 0 && !url[..scheme].Contains(';') && !url[..scheme].Contains('='))
        {
            var rest = url[(scheme + 3)..];
            var end = rest.IndexOfAny(['/', '?', '#']);
            var authority = end < 0 ? rest : rest[..end];
            var at = authority.LastIndexOf('@');
            if (at >= 0 && authority[..at].Contains(':')) return "user:password@";
        }

        foreach (Match segment in Segment().Matches(url))
        {
            var key = segment.Groups["key"].Value.Trim().Trim('"', '\'');
            if (IsPasswordKey(Decode(key))) return key;
        }

        foreach (var odbcRules in new[] { false, true })
        {
            try
            {
                var builder = new DbConnectionStringBuilder(odbcRules) { ConnectionString = url };
                foreach (string key in builder.Keys)
                    if (IsPasswordKey(key)) return key;
            }
            catch (ArgumentException)
            {
                // not a key=value string under these rules: the segment scan above has looked at it
            }
        }
        return null;
    }

    private static bool IsPasswordKey(string key)
    {
        var normal = new string(key.Where(char.IsLetterOrDigit).ToArray()).ToLowerInvariant();
        return ExactKeys.Contains(normal) || KeyParts.Any(part => normal.Contains(part, StringComparison.Ordinal));
    }

    private static string Decode(string key)
    {
        try
        {
            return Uri.UnescapeDataString(key.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return key;
        }
    }

    // A key=value pair: the key follows the start, a '?', '&' or ';', and ends at '='.
    [GeneratedRegex(@"(?:^|[?&;])(?<key>[^?&;=]+)=")]
    private static partial Regex Segment();
}
