using System.Data.Common;

namespace Pipekit.Chains.Engines;

/// <summary>
/// The configured server URI pointed at another database. <c>postgres://…/db?opts</c> keeps its authority and
/// options; a native <c>Host=…;Database=…</c> string goes through the generic connection-string builder.
/// </summary>
internal static class PostgresUrls
{
    public static string WithDatabase(string url, string database, bool pooling)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = url };
            builder["Database"] = database;
            if (!pooling) builder["Pooling"] = "false";
            return builder.ConnectionString;
        }
        var rest = url[(schemeEnd + 3)..];
        var query = "";
        var q = rest.IndexOf('?');
        if (q >= 0) { query = rest[(q + 1)..]; rest = rest[..q]; }
        // The authority ends at the first '/' after the user info (whose password may hold an encoded '/' only).
        var at = rest.LastIndexOf('@');
        var slash = rest.IndexOf('/', at + 1);
        var authority = slash >= 0 ? rest[..slash] : rest;
        var options = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(p => !p.StartsWith("pooling=", StringComparison.OrdinalIgnoreCase)).ToList();
        if (!pooling) options.Add("pooling=false");
        return $"{url[..(schemeEnd + 3)]}{authority}/{Uri.EscapeDataString(database)}" + (options.Count > 0 ? "?" + string.Join('&', options) : "");
    }

    /// <summary>The URI or connection string without its password, for showing to a client.</summary>
    public static string WithoutPassword(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            var builder = new DbConnectionStringBuilder { ConnectionString = url };
            foreach (var key in new[] { "Password", "PWD" })
                if (builder.ContainsKey(key)) builder.Remove(key);
            return builder.ConnectionString;
        }
        var q = url.IndexOf('?', StringComparison.Ordinal);
        if (q >= 0)
        {
            var kept = url[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Where(p => !p.StartsWith("password=", StringComparison.OrdinalIgnoreCase)).ToList();
            url = url[..q] + (kept.Count > 0 ? "?" + string.Join('&', kept) : "");
        }
        var rest = url[(schemeEnd + 3)..];
        var end = rest.IndexOfAny(['/', '?']);
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        if (at < 0) return url;
        var user = authority[..at];
        var colon = user.IndexOf(':');
        return colon < 0 ? url : url[..(schemeEnd + 3)] + user[..colon] + rest[at..];
    }
}
