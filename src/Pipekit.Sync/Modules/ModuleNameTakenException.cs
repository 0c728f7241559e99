using Pipekit.Core.Errors;

namespace Pipekit.Sync.Modules;

/// <summary>Another module already has this name.</summary>
public sealed class ModuleNameTakenException(string name) : ConflictException($"a module named '{name}' already exists")
{
    public string Name { get; } = name;
}
