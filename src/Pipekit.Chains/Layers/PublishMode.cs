namespace Pipekit.Chains.Layers;

/// <summary><c>[chains].publish</c>: which states of a replayed tail become layers.</summary>
public enum PublishMode
{
    /// <summary>Every replayed step: the most sharing between branches, one clone per step.</summary>
    EveryStep,

    /// <summary>Only the tail's last state: one clone per replay, less sharing.</summary>
    TailOnly,
}
