using Pipekit.Core.Errors;

namespace Pipekit.Sync.Modules;

/// <summary>The module is locked by a run, so it cannot be changed in a way that would pull it from under that run.</summary>
public sealed class ModuleRunningException(string name)
    : ConflictException($"module '{name}' is running; cancel the run or wait for it to end first")
{
    public string Name { get; } = name;
}
