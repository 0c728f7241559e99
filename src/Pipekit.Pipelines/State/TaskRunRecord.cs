using Pipekit.Pipelines.Execution;

namespace Pipekit.Pipelines.State;

/// <summary>One task of one attempt of a run, as stored.</summary>
public sealed record TaskRunRecord(
    long RunId,
    int RunAttempt,
    string Task,
    TaskRunStatus Status,
    int Attempts,
    int? ExitCode,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? LogPath,
    string? StatusDetail);
