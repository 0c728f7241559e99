using Pipekit.Core.Validation;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Watermarks;

/// <summary>
/// Watermarks one at a time (the API's watermark resource). A watermark belongs to its module: each change
/// is validated with the whole module, so a watermark its query never uses, or a placeholder left without one,
/// is refused.
/// </summary>
public sealed class WatermarkEditor
{
    private readonly ModuleRepository _modules;
    private readonly ModuleEditor _editor;

    public WatermarkEditor(ModuleRepository modules, ModuleEditor editor)
    {
        _modules = modules;
        _editor = editor;
    }

    public async Task<IReadOnlyList<Watermark>> ListAsync(long? moduleId, CancellationToken cancellationToken)
    {
        if (moduleId is { } id)
            return (await _modules.GetAsync(id, cancellationToken))?.Watermarks ?? [];
        return (await _modules.ListAsync(cancellationToken)).SelectMany(m => m.Watermarks).OrderBy(w => w.Id).ToList();
    }

    public async Task<Watermark?> GetAsync(long id, CancellationToken cancellationToken)
    {
        if (await _modules.ModuleOfWatermarkAsync(id, cancellationToken) is not { } moduleId) return null;
        return (await _modules.GetAsync(moduleId, cancellationToken))?.Watermarks.FirstOrDefault(w => w.Id == id);
    }

    public async Task<Watermark> CreateAsync(Watermark draft, CancellationToken cancellationToken)
    {
        var module = await _editor.RequireParentAsync(draft.ModuleId, cancellationToken);
        var saved = await _editor.UpdateAsync(module.Id, m => m with { Watermarks = [.. m.Watermarks, draft with { Id = 0, ModuleId = m.Id }] }, cancellationToken);
        return saved.Watermarks.Single(w => w.Name == draft.Name);
    }

    /// <summary>Replaces watermark <c>watermark.Id</c>; null when it does not exist. It cannot move to another module.</summary>
    public async Task<Watermark?> UpdateAsync(Watermark watermark, CancellationToken cancellationToken)
    {
        if (await _modules.ModuleOfWatermarkAsync(watermark.Id, cancellationToken) is not { } moduleId) return null;
        if (watermark.ModuleId != 0 && watermark.ModuleId != moduleId)
            throw new ValidationException("module_id", "a watermark cannot move to another module; delete it and create it there");
        var saved = await _editor.UpdateAsync(moduleId, m => m with
        {
            Watermarks = m.Watermarks.Select(w => w.Id == watermark.Id ? watermark with { ModuleId = moduleId } : w).ToList(),
        }, cancellationToken);
        // Null when another request deleted the watermark first.
        return saved.Watermarks.SingleOrDefault(w => w.Id == watermark.Id);
    }

    /// <summary>Deletes a watermark; refused while the source query still uses its placeholder. False when it does not exist.</summary>
    public async Task<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        if (await _modules.ModuleOfWatermarkAsync(id, cancellationToken) is not { } moduleId) return false;
        await _editor.UpdateAsync(moduleId, m => m with { Watermarks = m.Watermarks.Where(w => w.Id != id).ToList() }, cancellationToken);
        return true;
    }
}
