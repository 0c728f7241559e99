using Pipekit.Chains.Collection;
using Pipekit.Chains.Layers;

namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// Draws the layer cache as trees: each layer hangs under the layer of its parent state, so chains that share a
/// prefix share the branch up to where they differ. A layer whose parent was evicted hangs from its root.
/// </summary>
internal static class LayerTree
{
    public static IReadOnlyList<LayerRoot> Build(IReadOnlyList<LayerRecord> layers, CollectionPreview gc)
    {
        var roots = new List<LayerRoot>();
        foreach (var group in layers.GroupBy(l => (l.Engine, l.BaseHash)).OrderBy(g => g.Key.Engine, StringComparer.Ordinal).ThenBy(g => g.Min(l => l.Id)))
        {
            var byState = group.ToDictionary(l => l.StateHash, StringComparer.Ordinal);
            var children = group.Where(l => byState.ContainsKey(l.ParentHash) && l.ParentHash != l.StateHash)
                .GroupBy(l => l.ParentHash, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Order(g), StringComparer.Ordinal);
            var tops = Order(group.Where(l => !byState.ContainsKey(l.ParentHash) || l.ParentHash == l.StateHash));
            var nodes = new List<LayerNode>();
            var seen = new HashSet<long>();
            void Walk(LayerRecord layer, string indent, bool last, int depth)
            {
                if (!seen.Add(layer.Id)) return;
                var guide = depth == 0 ? "" : indent + (last ? "└─ " : "├─ ");
                nodes.Add(new LayerNode(layer, guide, depth, depth == 0 && layer.ParentHash != group.Key.BaseHash,
                    gc.Drops.TryGetValue(layer.Id, out var drop) ? drop : null, gc.Kept.Contains(layer.Id),
                    gc.ExpiresAt.TryGetValue(layer.Id, out var at) ? at : null));
                if (!children.TryGetValue(layer.StateHash, out var kids)) return;
                var next = depth == 0 ? "" : indent + (last ? "   " : "│  ");
                for (var i = 0; i < kids.Count; i++) Walk(kids[i], next, i == kids.Count - 1, depth + 1);
            }
            foreach (var top in tops) Walk(top, "", true, 0);
            roots.Add(new LayerRoot(group.Key.Engine, group.Key.BaseHash, FingerprintLines(group.OrderBy(l => l.StepIndex).Select(l => l.Fingerprint).FirstOrDefault(f => f.Length > 0) ?? ""), nodes));
        }
        return roots;
    }

    private static List<LayerRecord> Order(IEnumerable<LayerRecord> layers) =>
        layers.OrderBy(l => l.StepIndex).ThenBy(l => l.StepPath, StringComparer.Ordinal).ThenBy(l => l.Id).ToList();

    /// <summary>The engine description S0 was made from, one <c>key=value</c> line each (server version, extensions, settings).</summary>
    private static IReadOnlyList<string> FingerprintLines(string fingerprint) =>
        fingerprint.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
