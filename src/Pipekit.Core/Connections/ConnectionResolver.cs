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
        return new ResolvedConnection(record.Name, record.Driver, record.Url, record.Username, password, record.Dialect);
    }
}
