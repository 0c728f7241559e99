using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
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
    private readonly ConnectionRepository _connections;
    private readonly DriverRegistry _drivers;

    public ModuleEditor(ModuleRepository modules, ConnectionRepository connections, DriverRegistry drivers)
    {
        _modules = modules;
        _connections = connections;
        _drivers = drivers;
    }

    /// <summary>Saves a new module with its watermarks and hooks; a taken name is a <see cref="ModuleNameTakenException"/>.</summary>
    public async Task<Module> CreateAsync(Module draft, CancellationToken cancellationToken)
    {
        var module = draft with
        {
            Id = 0,
            Watermarks = draft.Watermarks.Select(w => w with { Id = 0 }).ToList(),
            Hooks = draft.Hooks.Select(h => h with { Id = 0 }).ToList(),
        };
        await ValidateAsync(module, cancellationToken);
        // Saving matches an existing module by name, which would turn a create into an overwrite.
        if (await _modules.FindAsync(module.Name, cancellationToken) is not null) throw new ModuleNameTakenException(module.Name);
        return await _modules.SaveAsync(module, cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored module and saves the result once it validates. Watermarks
    /// and hooks that keep their ids keep their rows.
    /// </summary>
    public async Task<Module> UpdateAsync(long id, Func<Module, Module> change, CancellationToken cancellationToken)
    {
        var current = await _modules.GetAsync(id, cancellationToken) ?? throw new ModuleNotFoundException($"with id {id}");
        var module = change(current) with { Id = id };
        await ValidateAsync(module, cancellationToken);
        return await _modules.SaveAsync(module, cancellationToken);
    }

    /// <summary>Deletes a module with its watermarks, hooks, memberships and run history; refused while it runs.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        var module = await _modules.GetAsync(id, cancellationToken) ?? throw new ModuleNotFoundException($"with id {id}");
        if (module.Running) throw new ModuleRunningException(module.Name);
        await _modules.DeleteAsync(id, cancellationToken);
    }

    internal async Task ValidateAsync(Module module, CancellationToken cancellationToken)
    {
        var connections = await _connections.ListAsync(cancellationToken);
        var dest = connections.FirstOrDefault(c => c.Id == module.DestConnectionId);
        ModuleValidator.Validate(module, connections.Select(c => c.Id).ToHashSet(), DestinationTypes.Of(dest, _drivers));
    }

    /// <summary>The module a child row hangs off, or a validation error on <c>module_id</c>.</summary>
    internal async Task<Module> RequireParentAsync(long moduleId, CancellationToken cancellationToken) =>
        await _modules.GetAsync(moduleId, cancellationToken)
        ?? throw new ValidationException("module_id", $"module {moduleId} does not exist");
}
