using System.Net;

namespace Pipekit.Server.Hosting;

/// <summary>Where Kestrel listens, and whether that is reachable only from this machine.</summary>
internal sealed record ListenAddress(string Host, int Port)
{
    /// <summary>True for <c>localhost</c> and loopback addresses (127.0.0.0/8, ::1); anything else may be reached from outside.</summary>
    public bool IsLoopback =>
        Host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
        || IPAddress.TryParse(Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);

    public string Url => $"http://{(Host.Contains(':') && !Host.StartsWith('[') ? $"[{Host}]" : Host)}:{Port}";

    public override string ToString() => Url;
}
