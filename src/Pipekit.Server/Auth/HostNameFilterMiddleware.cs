using System.Net;
using Microsoft.AspNetCore.Http;
using Pipekit.Core.Configuration;
using Pipekit.Server.Errors;

namespace Pipekit.Server.Auth;

/// <summary>
/// Refuses requests whose <c>Host</c> names a server this is not, with 421 Misdirected Request. It stops DNS rebinding: a
/// web page on attacker.example whose name is made to resolve to 127.0.0.1 can reach a server that has no password, but
/// its requests still say <c>Host: attacker.example</c>. Loopback names (<c>localhost</c>, <c>127.0.0.1</c>, <c>[::1]</c>,
/// any port) are always served; the names in <c>[server] allowed_hosts</c> too. With no <c>allowed_hosts</c>, other names
/// are refused while no password is set and served once one is (HTTP Basic then guards every request).
/// </summary>
internal sealed class HostNameFilterMiddleware(RequestDelegate next, CredentialCheck check, PipekitConfig config)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var host = Normalize(context.Request.Host.Host);
        if (IsLoopback(host) || Allowed(host) || config.Server.AllowedHosts.Count == 0 && await check.StoredHashAsync(context.RequestAborted) is not null)
        {
            await next(context);
            return;
        }
        var shown = host.Length == 0 ? "(none)" : $"'{host}'";
        var what = config.Server.AllowedHosts.Count == 0
            ? "this server has no password, so it answers only to localhost, 127.0.0.1 and [::1]"
            : $"this server answers only to localhost, 127.0.0.1, [::1] and {string.Join(", ", config.Server.AllowedHosts)}";
        await Problems.WriteAsync(context, StatusCodes.Status421MisdirectedRequest, "Misdirected Request",
            $"{what}; the request's Host was {shown}. Open it by one of those names, or add the name to [server] allowed_hosts in pipekit.toml"
            + (config.Server.AllowedHosts.Count == 0 ? " and set a password with 'pipekit set-password USER'" : ""));
    }

    internal static bool IsLoopback(string host) =>
        host == "localhost" || IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);

    private bool Allowed(string host)
    {
        if (host.Length == 0) return false;
        foreach (var pattern in config.Server.AllowedHosts)
        {
            var allowed = Normalize(pattern);
            if (allowed == "*") return true;
            if (allowed.StartsWith("*.", StringComparison.Ordinal) ? host.EndsWith(allowed[1..], StringComparison.Ordinal) : host == allowed) return true;
        }
        return false;
    }

    // Lower case, without IPv6 brackets or a trailing dot (localhost. is localhost).
    private static string Normalize(string host) => host.Trim().Trim('[', ']').TrimEnd('.').ToLowerInvariant();
}
