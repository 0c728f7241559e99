using Pipekit.Sync.Runs;

namespace Pipekit.Sync.Groups;

/// <summary>One <c>group_run</c> row: a run of a whole group; its module runs point back to it.</summary>
public sealed record GroupRun
{
    public long Id { get; init; }
    public long GroupId { get; init; }
    public string? GroupName { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
    public RunStatus Status { get; init; }
    public string? TriggeredBy { get; init; }
}
