using Pipekit.Chains.Hashing;
using Pipekit.Chains.Planning;

namespace Pipekit.Chains.Layers;

/// <summary>
/// Says why step <c>i</c> of a tail missed by comparing it with the layers cached after the same state S(i-1): they
/// are the chains that agreed with this one up to here. A cached sibling with the same path and other content
/// means the content changed; one whose content is a later step of this chain means the order changed; one whose
/// content this step has under another path means a path moved; a step nobody cached before means a path was
/// added. When nothing continues from S0 but layers with another root ran the same first step, the engine or its
/// settings changed, and the differing fingerprint lines say which.
/// </summary>
internal static class MissExplainer
{
    public static MissReason Explain(IReadOnlyList<LayerRecord> layers, EngineFingerprint fingerprint, string baseHash,
        IReadOnlyList<ChainStep> tail, IReadOnlyList<string> states, int missIndex)
    {
        var step = tail[missIndex];
        var parent = missIndex == 0 ? baseHash : states[missIndex - 1];
        var contentHash = StateHash.Content(step.Content);
        var siblings = layers.Where(l => l.ParentHash == parent).ToList();

        if (siblings.FirstOrDefault(l => l.StepPath == step.Path) is { } edited)
            return new("content_changed", step.Path, $"{step.Path} changed since the cached chain ran it (content {edited.ContentHash[..12]} → {contentHash[..12]})");

        if (siblings.FirstOrDefault(l => l.ContentHash == contentHash) is { } moved)
            return new("path_moved", step.Path, $"{step.Path} was cached as {moved.StepPath}; a step's path is part of the state");

        var later = tail.Skip(missIndex + 1).Select(s => (s.Path, Hash: StateHash.Content(s.Content))).ToList();
        if (siblings.FirstOrDefault(l => later.Any(s => s.Path == l.StepPath && s.Hash == l.ContentHash)) is { } reordered)
        {
            var known = layers.Any(l => l.StepPath == step.Path && l.ContentHash == contentHash);
            return known
                ? new("order_changed", step.Path, $"the cached chain ran {reordered.StepPath} here; {step.Path} now comes before it")
                : new("path_added", step.Path, $"{step.Path} is new and now runs before {reordered.StepPath}");
        }

        if (siblings.Count > 0)
            return new("path_added", step.Path, $"the cached chain ran {siblings[0].StepPath} here; {step.Path} is a different step");

        if (missIndex == 0)
        {
            var otherRoot = layers.Where(l => l.StepIndex == 0 && l.BaseHash != baseHash && l.StepPath == step.Path)
                .OrderByDescending(l => l.LastUsedAt).FirstOrDefault();
            if (otherRoot is not null)
            {
                var changes = EngineFingerprint.Differences(otherRoot.Fingerprint, fingerprint.Describe());
                return new("engine_changed", step.Path,
                    "the engine version or settings changed: " + (changes.Count == 0 ? "(same description, other scheme)" : string.Join("; ", changes.Take(5))));
            }
        }
        return new("not_cached", step.Path, missIndex == 0
            ? "no layer of this chain is cached (first run, or evicted)"
            : $"no layer after {tail[missIndex - 1].Path} continues this chain (first run of this branch, or evicted)");
    }
}
