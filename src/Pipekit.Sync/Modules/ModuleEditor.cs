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
        return await _modules.InsertAsync(module, await ValidatorAsync(cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Applies <paramref name="change"/> to the stored module and saves the result once it validates, all in one
    /// transaction holding the module, so a concurrent change is never lost. Watermarks and hooks that keep their ids
    /// keep their rows.
    /// </summary>
    public async Task<Module> UpdateAsync(long id, Func<Module, Module> change, CancellationToken cancellationToken) =>
        await _modules.UpdateAsync(id, change, await ValidatorAsync(cancellationToken), cancellationToken)
        ?? throw new ModuleNotFoundException($"with id {id}");

    /// <summary>Deletes a module with its watermarks, hooks and memberships (its runs stay in the run log); refused while it runs.</summary>
    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (!await _modules.DeleteIdleAsync(id, cancellationToken)) throw new ModuleNotFoundException($"with id {id}");
    }

    // The destination's type grammar comes from the connections as read before the write; the ids that must exist
    // are the ones the write sees.
    private async Task<Action<Module, IReadOnlySet<long>>> ValidatorAsync(CancellationToken cancellationToken)
    {
        var connections = await _connections.ListAsync(cancellationToken);
        return (module, ids) =>
        {
            var destination = connections.FirstOrDefault(c => c.Id == module.DestConnectionId);
            ModuleValidator.Validate(module, ids, DestinationTypes.Of(destination, _drivers), DestinationTypes.Engine(destination, _drivers));
        };
    }

    /// <summary>The module a child row hangs off, or a validation error on <c>module_id</c>.</summary>
    internal async Task<Module> RequireParentAsync(long moduleId, CancellationToken cancellationToken) =>
        await _modules.GetAsync(moduleId, cancellationToken)
        ?? throw new ValidationException("module_id", $"module {moduleId} does not exist");
}
