using Pipekit.Core.Connections;
using Pipekit.Core.Secrets;

namespace Pipekit.Server.Pages.Connections;

/// <summary>How the pages show a connection's password: only ever as its <c>$NAME</c> reference, never its value.</summary>
internal static class SecretHint
{
    public static string Display(ConnectionRecord c) =>
        string.IsNullOrEmpty(c.Password) ? "—" : c.Password.StartsWith('$') ? c.Password : "(stored value, hidden)";

    public static string? Missing(SecretStore secrets, ConnectionRecord c)
    {
        if (c.Password is not { Length: > 1 } p || p[0] != '$') return null;
        var name = p.Trim('$', '{', '}');
        return secrets.TryResolve(c.Project, name, out _) || Environment.GetEnvironmentVariable(name) is not null
            ? null
            : $"secret {name} is not set; add it with 'pipekit secrets set {name}'";
    }
}
