namespace Pipekit.Sync.Runs;

/// <summary>The outcome of a module run. <see cref="RunId"/> is null only when the lock was refused before a row was written.</summary>
public sealed record RunResult(long? RunId, RunStatus Status, long RowCount, string? Error)
{
    /// <summary>True when the module's lock was held by another run, so this one never started.</summary>
    public bool AlreadyRunning { get; init; }
}
