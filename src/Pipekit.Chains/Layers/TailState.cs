namespace Pipekit.Chains.Layers;

/// <summary>
/// The prepared tail of a job: its hash, the layer that holds it (null for an empty tail), whether the whole tail
/// was cached, how many steps this job replayed itself, and, on a miss, why.
/// </summary>
public sealed record TailState(
    string BaseHash,
    IReadOnlyList<string> States,
    string TailHash,
    LayerRecord? Layer,
    bool Hit,
    int CachedSteps,
    int ReplayedSteps,
    MissReason? Miss);
