using Pipekit.Core.Retries;

namespace Pipekit.Pipelines.Projects;

/// <summary>One <c>[[tasks]]</c> entry of a Pit project.</summary>
public sealed record PitTask
{
    public required string Name { get; init; }

    /// <summary>The script, relative to the project directory, as written.</summary>
    public required string Script { get; init; }

    /// <summary><c>runner</c> as written: python, bash, sql, <c>"$ command args"</c>, or null to decide by extension.</summary>
    public string? Runner { get; init; }

    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>Per-attempt timeout, or null for none.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Extra attempts after the first fails.</summary>
    public int Retries { get; init; }

    public TimeSpan RetryDelay { get; init; } = TimeSpan.Zero;

    public RetryBackoff RetryBackoff { get; init; } = RetryBackoff.Fixed;

    /// <summary>The line of the task's <c>[[tasks]]</c> header, for messages.</summary>
    public int Line { get; init; }

    /// <summary>The delay before attempt <paramref name="attempt"/> (2 is the first retry).</summary>
    public TimeSpan DelayBefore(int attempt) => Pipekit.Core.Retries.RetryDelay.Before(attempt - 1, RetryDelay, RetryBackoff, MaxRetryDelay);

    /// <summary>The cap of an exponential backoff: the wait before one retry never exceeds a day.</summary>
    public static readonly TimeSpan MaxRetryDelay = TimeSpan.FromDays(1);
}
