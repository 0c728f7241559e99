namespace Pipekit.Chains.Layers;

/// <summary>
/// The prepared tail of a job: its hash, the layer that holds it (null for an empty tail), whether the whole tail
/// was cached, how many steps this job replayed itself, on a miss why, and how many builds it took over from a
/// cancelled builder (retries).
/// </summary>
public sealed record TailState(
    string BaseHash,
    IReadOnlyList<string> States,
    string TailHash,
    LayerRecord? Layer,
    bool Hit,
    int CachedSteps,
    int ReplayedSteps,
    MissReason? Miss,
    int Retries = 0);
