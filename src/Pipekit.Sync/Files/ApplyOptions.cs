namespace Pipekit.Sync.Files;

/// <summary>How <c>apply</c> treats its files: plan only, and whether what they no longer declare is removed.</summary>
public sealed record ApplyOptions
{
    /// <summary>Validate and plan, write nothing.</summary>
    public bool DryRun { get; init; }

    /// <summary>Remove connections, modules, groups and group schedules the files do not declare (never run history).</summary>
    public bool Prune { get; init; }
}
