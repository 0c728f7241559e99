namespace Pipekit.Pipelines.Projects;

/// <summary><c>[dag].overlap</c>: what a scheduled fire does while a run of the same DAG is still going.</summary>
public enum OverlapPolicy
{
    /// <summary>The fire is skipped, and the skip is recorded with its reason.</summary>
    Skip,

    /// <summary>Exactly one run is queued; it starts when the running one ends.</summary>
    Wait,

    /// <summary>The new run starts alongside the running one.</summary>
    Allow,
}
