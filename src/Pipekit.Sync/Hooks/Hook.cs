namespace Pipekit.Sync.Hooks;

/// <summary>Post-merge SQL (e.g. <c>REFRESH MATERIALIZED VIEW</c>); its failure is logged and never rolls the merge back.</summary>
public sealed record Hook
{
    public long Id { get; init; }
    public long ModuleId { get; init; }
    public int RunOrder { get; init; }
    public long ConnectionId { get; init; }
    public required string Sql { get; init; }
    public HookRunOn RunOn { get; init; } = HookRunOn.Success;
}
