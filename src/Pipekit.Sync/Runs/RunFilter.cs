namespace Pipekit.Sync.Runs;

/// <summary>
/// A page of the run log, newest first. <see cref="Before"/> is the keyset cursor: the id of the last row of
/// the previous page.
/// </summary>
public sealed record RunFilter
{
    public long? ModuleId { get; init; }
    public long? GroupRunId { get; init; }
    public long? GroupId { get; init; }
    public RunStatus? Status { get; init; }
    public DateTimeOffset? Since { get; init; }
    public long? Before { get; init; }
    public int Limit { get; init; } = 50;

    /// <summary>False reads summaries only: the SQL and log columns come back empty, which keeps listings cheap.</summary>
    public bool IncludeText { get; init; } = true;
}
