namespace Pipekit.Core.Drivers;

/// <summary>
/// What a driver needs to open a connection: the URI or native string with the password already
/// resolved from the secrets store. Never stored, never logged.
/// </summary>
public sealed record ResolvedConnection(string Name, string Driver, string Url, string? Username, string? Password, string? Dialect)
{
    public override string ToString() => $"{Name} ({Driver})";
}
