namespace Pipekit.Sync.Runs;

/// <summary>The outcome of a module run. <see cref="RunId"/> is null only when the lock was refused before a row was written.</summary>
public sealed record RunResult(long? RunId, RunStatus Status, long RowCount, string? Error)
{
    public const string AlreadyRunningMessage = "already running";

    public bool AlreadyRunning => Status == RunStatus.Error && Error == AlreadyRunningMessage;
}
