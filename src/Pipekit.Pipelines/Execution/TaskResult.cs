namespace Pipekit.Pipelines.Execution;

/// <summary>How one task of a run ended. Times are of its last attempt's process (null when it never started).</summary>
public sealed record TaskResult(
    string Task,
    TaskRunStatus Status,
    int Attempts,
    int? ExitCode,
    string? Detail,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? LogPath)
{
    public TimeSpan? Duration => StartedAt is { } s && FinishedAt is { } f ? f - s : null;
}
