namespace Pipekit.Sync.Runs;

/// <summary>A module run that has its run_log row: the API returns <see cref="RunId"/> at once, the CLI awaits <see cref="Completion"/>.</summary>
public sealed record StartedRun(long RunId, Task<RunResult> Completion);
