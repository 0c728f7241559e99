namespace Pipekit.Sync.Groups;

/// <summary>A named, ordered set of modules run one after another (seed 002 "Groups and scheduling").</summary>
public sealed record Group
{
    public long Id { get; init; }
    public required string Name { get; init; }
    /// <summary>Stop at the first failed member instead of continuing (the seed's default is to continue).</summary>
    public bool StopOnFailure { get; init; }
    public IReadOnlyList<GroupMember> Members { get; init; } = [];
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A module's place in a group. A module may belong to several groups, each with its own order.</summary>
public sealed record GroupMember(long Id, long ModuleId, int RunOrder, string? ModuleName = null)
{
    /// <summary>The group the member belongs to, when read on its own rather than inside its group.</summary>
    public long GroupId { get; init; }
}
