using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Hooks;

/// <summary>Hooks one at a time (the API's hook resource), each change validated with the whole module.</summary>
public sealed class HookEditor
{
    private readonly ModuleRepository _modules;
    private readonly ModuleEditor _editor;

    public HookEditor(ModuleRepository modules, ModuleEditor editor)
    {
        _modules = modules;
        _editor = editor;
    }

    public async Task<IReadOnlyList<Hook>> ListAsync(long? moduleId, CancellationToken cancellationToken)
    {
        if (moduleId is { } id)
            return (await _modules.GetAsync(id, cancellationToken))?.Hooks ?? [];
        return (await _modules.ListAsync(cancellationToken)).SelectMany(m => m.Hooks).OrderBy(h => h.Id).ToList();
    }

    public async Task<Hook?> GetAsync(long id, CancellationToken cancellationToken)
    {
        if (await _modules.ModuleOfHookAsync(id, cancellationToken) is not { } moduleId) return null;
        return (await _modules.GetAsync(moduleId, cancellationToken))?.Hooks.FirstOrDefault(h => h.Id == id);
    }

    public async Task<Hook> CreateAsync(Hook draft, CancellationToken cancellationToken)
    {
        var module = await _editor.RequireParentAsync(draft.ModuleId, cancellationToken);
        // The hooks there were are read inside the write: a hook another request adds at the same time is not this one.
        IReadOnlySet<long> before = new HashSet<long>();
        var saved = await _editor.UpdateAsync(module.Id, m =>
        {
            before = m.Hooks.Select(h => h.Id).ToHashSet();
            return m with { Hooks = [.. m.Hooks, draft with { Id = 0, ModuleId = m.Id }] };
        }, cancellationToken);
        return saved.Hooks.Single(h => !before.Contains(h.Id));
    }

    /// <summary>Replaces hook <c>hook.Id</c>; null when it does not exist. It cannot move to another module.</summary>
    public async Task<Hook?> UpdateAsync(Hook hook, CancellationToken cancellationToken)
    {
        if (await _modules.ModuleOfHookAsync(hook.Id, cancellationToken) is not { } moduleId) return null;
        if (hook.ModuleId != 0 && hook.ModuleId != moduleId)
            throw new ValidationException("module_id", "a hook cannot move to another module; delete it and create it there");
        var saved = await _editor.UpdateAsync(moduleId, m => m with
        {
            Hooks = m.Hooks.Select(h => h.Id == hook.Id ? hook with { ModuleId = moduleId } : h).ToList(),
        }, cancellationToken);
        // Null when another request deleted the hook first.
        return saved.Hooks.SingleOrDefault(h => h.Id == hook.Id);
    }

    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (await _modules.ModuleOfHookAsync(id, cancellationToken) is not { } moduleId) return false;
        await _editor.UpdateAsync(moduleId, m => m with { Hooks = m.Hooks.Where(h => h.Id != id).ToList() }, cancellationToken);
        return true;
    }
}
