using Pipekit.Core.Errors;

namespace Pipekit.Sync.Groups;

/// <summary>Another group already has this name.</summary>
public sealed class GroupNameTakenException(string name) : ConflictException($"a group named '{name}' already exists")
{
    public string Name { get; } = name;
}
