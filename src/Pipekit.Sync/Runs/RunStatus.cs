namespace Pipekit.Sync.Runs;

/// <summary>Run statuses of seed 004, plus <c>queued</c> for runs waiting for a free slot on the server.</summary>
public enum RunStatus
{
    Queued,
    Running,
    Success,
    Error,
    Cancelled,
    DryRun,
}

/// <summary>Text form of a status as stored and shown (<c>dry_run</c>).</summary>
public static class RunStatusText
{
    public static string ToText(this RunStatus status) => status switch
    {
        RunStatus.DryRun => "dry_run",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static RunStatus Parse(string text) => text switch
    {
        "dry_run" => RunStatus.DryRun,
        _ => Enum.Parse<RunStatus>(text, ignoreCase: true),
    };

    public static bool IsFinished(this RunStatus status) => status is RunStatus.Success or RunStatus.Error or RunStatus.Cancelled or RunStatus.DryRun;
}
