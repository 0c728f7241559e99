using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Pipekit.Core.Drivers;

namespace Pipekit.Core.Connections;

/// <summary>
/// Checks the host part of a server URI (<c>postgres://</c>, <c>mysql://</c>, <c>sqlserver://</c> and their aliases)
/// when a connection is saved, so <c>postgres://[::1</c> is refused then rather than failing at its first run. A host
/// is a name, an IPv4 address or a bracketed IPv6 address, with an optional port 1-65535; PostgreSQL takes a
/// comma-separated list of them.
/// </summary>
internal static class ServerAuthority
{
    /// <summary>The URI schemes of the built-in drivers that reach a network server, each with its driver kind.</summary>
    private static readonly IReadOnlyDictionary<string, string> ServerKinds = BuiltInDrivers.All()
        .Where(entry => entry.IsNetworkServer)
        .SelectMany(entry => entry.Schemes.Select(scheme => (Scheme: scheme, entry.Kind)))
        .ToDictionary(pair => pair.Scheme, pair => pair.Kind, StringComparer.OrdinalIgnoreCase);

    /// <summary>What is wrong with the URI's host list, or null when it is well formed (or not a server URI).</summary>
    public static string? Problem(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0) return null;
        var scheme = url[..schemeEnd].ToLowerInvariant();
        if (!ServerKinds.TryGetValue(scheme, out var kind)) return null;
        var rest = url[(schemeEnd + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        if (at >= 0) authority = authority[(at + 1)..];
        if (authority.Length == 0) return $"the {scheme}:// URI has no host; write it as {scheme}://user@host:port/database";
        var hosts = authority.Split(',');
        if (hosts.Length > 1 && kind != "postgres")
            return $"the {scheme}:// URI names more than one host; only postgres:// takes a list of hosts";
        foreach (var host in hosts)
            if (HostProblem(host, scheme) is { } problem) return problem;
        return null;
    }

    private static string? HostProblem(string host, string scheme)
    {
        string name;
        string? port = null;
        if (host.StartsWith('['))
        {
            var close = host.IndexOf(']');
            if (close < 0) return $"the {scheme}:// URI has an unclosed '[' in its host; write an IPv6 address as [::1]";
            name = host[1..close];
            if (!IPAddress.TryParse(name, out var ip) || ip.AddressFamily != AddressFamily.InterNetworkV6)
                return $"the {scheme}:// URI has '[{name}]' as its host, which is not an IPv6 address";
            var after = host[(close + 1)..];
            if (after.StartsWith(':')) port = after[1..];
            else if (after.Length > 0) return $"the {scheme}:// URI has text after its IPv6 host; write [address]:port";
        }
        else
        {
            var colon = host.IndexOf(':');
            name = colon < 0 ? host : host[..colon];
            port = colon < 0 ? null : host[(colon + 1)..];
            if (name.Length == 0) return $"the {scheme}:// URI has an empty host; write it as {scheme}://user@host:port/database";
            if (name.Any(c => c is '[' or ']' or ' ' || char.IsControl(c)))
                return $"the {scheme}:// URI host has a character a host name cannot hold (write an IPv6 address in brackets: [::1])";
        }
        if (port is not null
            && (port.Length == 0 || !port.All(char.IsAsciiDigit) || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535))
            return $"the {scheme}:// URI has a port that is not a TCP port number (1-65535)";
        return null;
    }
}
