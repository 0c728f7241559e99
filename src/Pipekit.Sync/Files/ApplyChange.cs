namespace Pipekit.Sync.Files;

public enum ApplyAction
{
    Created,
    Updated,
    Unchanged,
}

/// <summary>What <c>apply</c> did (or, before writing, will do) to one module or group.</summary>
public sealed record ApplyChange(string Kind, string Name, ApplyAction Action);
