using Pipekit.Core.Errors;

namespace Pipekit.Core.Connections;

/// <summary>Another connection already has this name.</summary>
public sealed class ConnectionNameTakenException(string name)
    : ConflictException($"a connection named '{name}' already exists; pick another name or edit that one")
{
    public string Name { get; } = name;
}
