namespace Pipekit.Sync.Files;

/// <summary>What <c>apply</c> does to one declared (or, with <c>--prune</c>, undeclared) thing.</summary>
public enum ApplyAction
{
    Created,
    Updated,
    Unchanged,
    Removed,
}
