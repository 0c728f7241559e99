namespace Pipekit.Sync.Modules;

/// <summary>Another module already has this name.</summary>
public sealed class ModuleNameTakenException(string name) : Exception($"a module named '{name}' already exists")
{
    public string Name { get; } = name;
}
