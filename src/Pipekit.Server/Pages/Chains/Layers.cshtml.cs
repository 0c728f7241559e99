using Microsoft.AspNetCore.Mvc;
using Pipekit.Chains.Collection;
using Pipekit.Chains.Layers;

namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// <c>/chains/layers</c>: the snapshot cache drawn as a tree of states per engine root (each node: the step it
/// holds the state after, hash prefix, bytes, hits, last use), with what GC would drop now and why, and a GC button
/// that runs the same pass as <c>pipekit chain layers gc</c>.
/// </summary>
internal sealed class LayersModel(TimeProvider time, ILayerCatalog catalog, LayerCollector collector) : PipekitPage(time)
{
    public IReadOnlyList<LayerRoot> Roots { get; private set; } = [];
    public CollectionPreview Preview { get; private set; } = null!;
    public CollectionReport? Collected { get; private set; }

    public int LayerCount => Roots.Sum(r => r.Nodes.Count);
    public long Bytes => Roots.Sum(r => r.Bytes);
    public long DropBytes => Roots.SelectMany(r => r.Nodes).Where(n => n.Drop is not null).Sum(n => n.Layer.SizeBytes);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostCollectAsync(CancellationToken ct)
    {
        Collected = await collector.CollectAsync(ct);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Preview = await collector.PreviewAsync(ct);
        Roots = LayerTree.Build(await catalog.ListAsync(null, ct), Preview);
    }
}
