namespace Pipekit.Sync.Modules;

/// <summary>A page of modules in id order. <see cref="After"/> is the keyset cursor: the id of the last module of the previous page.</summary>
public sealed record ModuleFilter
{
    public long? SourceConnectionId { get; init; }
    public long? DestConnectionId { get; init; }
    public bool? Enabled { get; init; }
    public long? After { get; init; }
    public int Limit { get; init; } = 50;
}
