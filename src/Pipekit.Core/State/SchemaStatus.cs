namespace Pipekit.Core.State;

/// <summary>Where a state database stands against the migrations this binary carries.</summary>
public sealed record SchemaStatus(int CurrentVersion, int LatestVersion, IReadOnlyList<Migration> Pending)
{
    public bool IsCurrent => Pending.Count == 0;
}
