using Pipekit.Core.Validation;
using Pipekit.Sync.Runs;

namespace Pipekit.Sync.Modules;

/// <summary>
/// Creates, changes and deletes modules one at a time (the API's module resource): every change is validated
/// as a whole module — connections, placeholders against watermarks, merge keys, hooks — before it is saved.
/// </summary>
public sealed class ModuleEditor
{
    private readonly ModuleRepository _modules;

    public ModuleEditor(ModuleRepository modules)
    {
        _modules = modules;
    }

    /// <summary>
    /// Saves a new module with its watermarks and hooks; a taken name is a <see cref="ModuleNameTakenException"/>, also when
    /// two creates race (the insert never replaces a module). Connections are checked inside the write.
    /// </summary>
    public async Task<Module> CreateAsync(Module draft, CancellationToken cancellationToken)
    {
        var module = draft with
        {
            Id = 0,
            Watermarks = draft.Watermarks.Select(w => w with { Id = 0 }).ToList(),
            Hooks = draft.Hooks.Select(h => h with { Id = 0 }).ToList(),
        };
        return await _modules.InsertAsync(module, ModuleValidator.Validate, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored module and saves the result once it validates, all in one
    /// transaction holding the module, so a concurrent change is never lost. Watermarks and hooks that keep their ids
    /// keep their rows.
    /// </summary>
    public async Task<Module> UpdateAsync(long id, Func<Module, Module> change, CancellationToken cancellationToken) =>
        await _modules.UpdateAsync(id, change, ModuleValidator.Validate, cancellationToken)
        ?? throw new ModuleNotFoundException($"with id {id}");

    /// <summary>Deletes a module with its watermarks, hooks and memberships (its runs stay in the run log); refused while it runs.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await _modules.DeleteIdleAsync(id, cancellationToken)) throw new ModuleNotFoundException($"with id {id}");
    }

    /// <summary>The module a child row hangs off, or a validation error on <c>module_id</c>.</summary>
    internal async Task<Module> RequireParentAsync(long moduleId, CancellationToken cancellationToken) =>
        await _modules.GetAsync(moduleId, cancellationToken)
        ?? throw new ValidationException("module_id", $"module {moduleId} does not exist");
}
