using Pipekit.Core.Errors;

namespace Pipekit.Sync.Modules;

/// <summary>
/// A module's save lost a race with the delete of a connection it names: the row it referenced disappeared between the
/// check and the write. Nothing was saved.
/// </summary>
public sealed class ModuleReferenceGoneException(string name)
    : ConflictException($"module '{name}' names a connection that was deleted while it was being saved; nothing was saved: pick existing connections and save again");
