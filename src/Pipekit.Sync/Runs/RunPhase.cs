namespace Pipekit.Sync.Runs;

/// <summary>The stage a module run is in, in order, for progress displays.</summary>
public enum RunPhase
{
    ResolvingWatermarks,
    Transferring,
    Merging,
    Hooks,
}
