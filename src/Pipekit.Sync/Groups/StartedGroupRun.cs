namespace Pipekit.Sync.Groups;

/// <summary>A group run that has its group_run row: the API returns <see cref="GroupRunId"/> at once, the CLI awaits <see cref="Completion"/>.</summary>
public sealed record StartedGroupRun(long GroupRunId, Task<GroupRunResult> Completion);
