namespace Pipekit.Core.Drivers;

/// <summary>
/// A server connection URI: <c>scheme://[user[:password]@]host[:port][/database][?key=value&amp;…]</c>.
/// Reserved characters in the user, password or database are percent-encoded. Parse errors and
/// <see cref="ToString"/> never contain the password.
/// </summary>
internal sealed class ServerUri
{
    private ServerUri(string scheme, string? user, string? password, string host, int? port, string? database,
        IReadOnlyList<KeyValuePair<string, string>> options)
    {
        Scheme = scheme;
        User = user;
        Password = password;
        Host = host;
        Port = port;
        Database = database;
        Options = options;
    }

    public string Scheme { get; }
    public string? User { get; }
    public string? Password { get; }
    public string Host { get; }
    public int? Port { get; }
    public string? Database { get; }

    /// <summary>Query options in the order given, decoded.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Options { get; }

    /// <summary>True when <paramref name="text"/> starts with one of <paramref name="schemes"/> followed by <c>://</c>.</summary>
    public static bool HasScheme(string text, IEnumerable<string> schemes) =>
        schemes.Any(s => text.StartsWith(s + "://", StringComparison.OrdinalIgnoreCase));

    // Parse errors never quote the URI: when a password holds an unencoded '/' or '@', the piece a
    // message would quote as a port or path can be part of the password.
    private const string EncodeHint = " (percent-encode '/', '?', '#', '@' and ':' in the user name and password)";

    public static ServerUri Parse(string text)
    {
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) throw new DriverException("the connection URI has no scheme; write it as scheme://user@host:port/database");
        var scheme = text[..schemeEnd].ToLowerInvariant();
        var rest = text[(schemeEnd + 3)..];

        // Standard URI rule: the authority ends at the first '/' or '?', and the user info is what comes
        // before its last '@'. Reserved characters in a password must be percent-encoded.
        var authorityEnd = rest.IndexOfAny(['/', '?']);
        var at = (authorityEnd >= 0 ? rest[..authorityEnd] : rest).LastIndexOf('@');
        string? user = null, password = null;
        if (at >= 0)
        {
            var userInfo = rest[..at];
            rest = rest[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            user = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            password = colon >= 0 ? Uri.UnescapeDataString(userInfo[(colon + 1)..]) : null;
            if (user.Length == 0) user = null;
        }

        authorityEnd = rest.IndexOfAny(['/', '?']);
        var authority = authorityEnd >= 0 ? rest[..authorityEnd] : rest;
        rest = authorityEnd >= 0 ? rest[authorityEnd..] : "";
        var (host, port) = SplitHostPort(authority, scheme);

        string? database = null;
        if (rest.StartsWith('/'))
        {
            var queryStart = rest.IndexOf('?');
            var path = queryStart >= 0 ? rest[1..queryStart] : rest[1..];
            rest = queryStart >= 0 ? rest[queryStart..] : "";
            if (path.Contains('/')) throw new DriverException($"the {scheme}:// URI path has more than one part; it names one database{EncodeHint}");
            database = path.Length == 0 ? null : Uri.UnescapeDataString(path);
        }

        var options = new List<KeyValuePair<string, string>>();
        if (rest.StartsWith('?'))
        {
            foreach (var pair in rest[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                var eq = pair.IndexOf('=');
                var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
                var value = eq >= 0 ? Uri.UnescapeDataString(pair[(eq + 1)..]) : "";
                options.Add(new(key, value));
            }
        }

        return new ServerUri(scheme, user, password, host, port, database, options);
    }

    /// <summary>The URI without its password or options (an option may carry a secret), fit for messages.</summary>
    public override string ToString()
    {
        var user = User is null ? "" : Uri.EscapeDataString(User) + "@";
        var host = Host.Contains(':') ? $"[{Host}]" : Host;
        var port = Port is null ? "" : $":{Port}";
        var database = Database is null ? "" : "/" + Uri.EscapeDataString(Database);
        return $"{Scheme}://{user}{host}{port}{database}";
    }

    private static (string Host, int? Port) SplitHostPort(string authority, string scheme)
    {
        string host;
        string? portText = null;
        if (authority.StartsWith('['))
        {
            // IPv6 literal: [::1]:3306
            var close = authority.IndexOf(']');
            if (close < 0) throw new DriverException($"the {scheme}:// URI has an unclosed '[' in its host");
            host = authority[1..close];
            var after = authority[(close + 1)..];
            if (after.StartsWith(':')) portText = after[1..];
            else if (after.Length > 0) throw new DriverException($"the {scheme}:// URI has text after its IPv6 host");
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon >= 0 ? authority[..colon] : authority;
            portText = colon >= 0 ? authority[(colon + 1)..] : null;
        }

        if (host.Length == 0) throw new DriverException($"the {scheme}:// URI has no host; write it as {scheme}://user@host:port/database");
        if (portText is null || portText.Length == 0) return (host, null);
        if (!int.TryParse(portText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            throw new DriverException($"the {scheme}:// URI has a port that is not a TCP port number{EncodeHint}");
        return (host, port);
    }
}
