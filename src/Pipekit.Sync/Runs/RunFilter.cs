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

    /// <summary>The order; anything but <see cref="RunSort.Newest"/> pages with <see cref="Offset"/>, not <see cref="Before"/>.</summary>
    public RunSort Sort { get; init; } = RunSort.Newest;

    /// <summary>Largest (or latest) first; false sorts ascending. Runs without a duration or row count sort last either way.</summary>
    public bool Descending { get; init; } = true;

    /// <summary>Rows skipped before the page, for a sorted listing.</summary>
    public int Offset { get; init; }

    /// <summary>False reads summaries only: the SQL and log columns come back empty, which keeps listings cheap.</summary>
    public bool IncludeText { get; init; } = true;
}
