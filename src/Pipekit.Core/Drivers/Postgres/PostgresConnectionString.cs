using Npgsql;

namespace Pipekit.Core.Drivers.Postgres;

/// <summary>
/// Turns a <c>postgres://user:password@host:port/database?sslmode=require</c> URI, or a native Npgsql string,
/// into an Npgsql connection string. The connection's username and resolved password win over the URI's.
/// </summary>
internal static class PostgresConnectionString
{
    // libpq's URI parameter names → Npgsql keywords; anything else is passed to Npgsql as it is.
    private static readonly Dictionary<string, string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        ["sslmode"] = "SSL Mode",
        ["sslrootcert"] = "Root Certificate",
        ["sslcert"] = "SSL Certificate",
        ["sslkey"] = "SSL Key",
        ["sslpassword"] = "SSL Password",
        ["gssencmode"] = "GSS Encryption Mode",
        ["connect_timeout"] = "Timeout",
        ["application_name"] = "Application Name",
        ["target_session_attrs"] = "Target Session Attributes",
        ["options"] = "Options",
        ["keepalives_idle"] = "Keepalive",
        ["search_path"] = "Search Path",
    };

    private const int BufferSize = 64 * 1024;

    public static string Build(ResolvedConnection connection)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = IsUri(connection.Url) ? FromUri(connection) : new NpgsqlConnectionStringBuilder(connection.Url);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            throw ConnectionErrors.BadConnectionString(connection, $"not a valid PostgreSQL URI or connection string ({ex.Message})");
        }
        // libpq asks for GSS encryption only when a Kerberos ticket cache exists; Npgsql 10 asks on every connection,
        // which loads the Kerberos library on each first open (and has had fallback hangs). It is opt-in here:
        // gssencmode=prefer or require in the URI.
        if (!IsSet(builder, "GSS Encryption Mode")) builder.GssEncryptionMode = GssEncryptionMode.Disable;
        // No Pipekit code runs inside a TransactionScope; enlisting (Npgsql's default) looks for an ambient transaction on
        // every open, which loads System.Transactions into each short `pipekit run`. enlist=true in the URI turns it back on.
        if (!IsSet(builder, "Enlist")) builder.Enlist = false;
        // Bulk transfers move megabytes per second; Npgsql's 8 KB default buffers cost a syscall every few rows.
        if (!IsSet(builder, "Read Buffer Size")) builder.ReadBufferSize = BufferSize;
        if (!IsSet(builder, "Write Buffer Size")) builder.WriteBufferSize = BufferSize;
        if (!string.IsNullOrEmpty(connection.Username)) builder.Username = connection.Username;
        if (!string.IsNullOrEmpty(connection.Password)) builder.Password = connection.Password;
        return builder.ConnectionString;
    }

    // Npgsql's ContainsKey is true for every keyword it knows; Keys lists the ones the string set, by canonical name.
    private static bool IsSet(NpgsqlConnectionStringBuilder builder, string keyword) =>
        builder.Keys.Contains(keyword, StringComparer.OrdinalIgnoreCase);

    private static bool IsUri(string url) =>
        url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    private static NpgsqlConnectionStringBuilder FromUri(ResolvedConnection connection)
    {
        var rest = connection.Url[(connection.Url.IndexOf("://", StringComparison.Ordinal) + 3)..];
        var builder = new NpgsqlConnectionStringBuilder();

        var query = "";
        var q = rest.IndexOf('?');
        if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }

        var slash = rest.IndexOf('/');
        var authority = slash >= 0 ? rest[..slash] : rest;
        var database = slash >= 0 ? rest[(slash + 1)..] : "";

        // The password may itself contain '@', so the last one ends the user info.
        var at = authority.LastIndexOf('@');
        if (at >= 0)
        {
            var userInfo = authority[..at];
            authority = authority[(at + 1)..];
            var colon = userInfo.IndexOf(':');
            var user = Uri.UnescapeDataString(colon >= 0 ? userInfo[..colon] : userInfo);
            if (user.Length > 0) builder.Username = user;
            if (colon >= 0) builder.Password = Uri.UnescapeDataString(userInfo[(colon + 1)..]);
        }

        if (authority.Length > 0) ApplyHosts(builder, authority);
        if (database.Length > 0) builder.Database = Uri.UnescapeDataString(database);

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString(eq >= 0 ? pair[..eq] : pair);
            var value = Uri.UnescapeDataString(eq >= 0 ? pair[(eq + 1)..] : "");
            if (key.Equals("sslmode", StringComparison.OrdinalIgnoreCase)) value = SslMode(value);
            if (key.Equals("gssencmode", StringComparison.OrdinalIgnoreCase)) value = GssEncMode(value);
            builder[Keywords.GetValueOrDefault(key, key)] = value;
        }
        return builder;
    }

    /// <summary>Hosts are <c>h1:5432,h2</c> or <c>[::1]:5432</c>; Npgsql takes a host list with per-host ports.</summary>
    private static void ApplyHosts(NpgsqlConnectionStringBuilder builder, string authority)
    {
        var hosts = new List<string>();
        foreach (var entry in authority.Split(','))
        {
            var host = entry;
            string? port = null;
            if (host.StartsWith('['))
            {
                var close = host.IndexOf(']');
                if (close < 0) throw new FormatException($"unclosed '[' in host '{entry}'");
                if (close + 1 < host.Length && host[close + 1] == ':') port = host[(close + 2)..];
                host = host[1..close];
            }
            else if (host.LastIndexOf(':') is var colon and >= 0)
            {
                port = host[(colon + 1)..];
                host = host[..colon];
            }
            host = Uri.UnescapeDataString(host);
            if (hosts.Count == 0 && port is not null) builder.Port = int.Parse(port, System.Globalization.CultureInfo.InvariantCulture);
            hosts.Add(port is null || authority.IndexOf(',') < 0 ? host : $"{host}:{port}");
        }
        builder.Host = string.Join(',', hosts);
    }

    private static string GssEncMode(string libpq) => libpq.ToLowerInvariant() switch
    {
        "disable" => "Disable",
        "prefer" => "Prefer",
        "require" => "Require",
        _ => throw new FormatException($"unknown gssencmode '{libpq}' (disable, prefer, require)"),
    };

    private static string SslMode(string libpq) => libpq.ToLowerInvariant() switch
    {
        "disable" => "Disable",
        "allow" => "Allow",
        "prefer" => "Prefer",
        "require" => "Require",
        "verify-ca" => "VerifyCA",
        "verify-full" => "VerifyFull",
        _ => throw new FormatException($"unknown sslmode '{libpq}' (disable, allow, prefer, require, verify-ca, verify-full)"),
    };
}
