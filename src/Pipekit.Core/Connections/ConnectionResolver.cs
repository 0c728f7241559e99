using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;

namespace Pipekit.Core.Connections;

/// <summary>
/// Turns a stored connection into one a driver can open: the <c>$NAME</c> password is resolved through the
/// secrets store (project section, then <c>[global]</c>, then the environment), and the value is registered
/// with the redactor so it can never leak into a message.
/// </summary>
public sealed class ConnectionResolver
{
    private readonly SecretStore _secrets;
    private readonly Redactor _redactor;

    public ConnectionResolver(SecretStore secrets, Redactor redactor)
    {
        _secrets = secrets;
        _redactor = redactor;
    }

    public ResolvedConnection Resolve(ConnectionRecord record, string? project = null)
    {
        string? password = null;
        if (!string.IsNullOrEmpty(record.Password))
        {
            password = _secrets.ResolveReference(record.Project ?? project, record.Password);
            _redactor.Register(password);
        }
        var url = record.Url;
        if (ConnectionValidator.IsSecretReference(url))
        {
            // The whole URL is a secret (it may hold a host name and a password): every form of it is redacted.
            url = _secrets.ResolveReference(record.Project ?? project, url.Trim());
            _redactor.Register(url);
            if (PasswordInUrl(url) is { Length: > 0 } inner) _redactor.Register(inner);
        }
        return new ResolvedConnection(record.Name, record.Driver, url, record.Username, password, record.Dialect);
    }

    private static string? PasswordInUrl(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (scheme < 0) return null;
        var rest = url[(scheme + 3)..];
        var end = rest.IndexOfAny(['/', '?', '#']);
        var authority = end < 0 ? rest : rest[..end];
        var at = authority.LastIndexOf('@');
        var colon = at > 0 ? authority[..at].IndexOf(':', StringComparison.Ordinal) : -1;
        return colon < 0 ? null : Uri.UnescapeDataString(authority[(colon + 1)..at]);
    }
}
