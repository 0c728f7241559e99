namespace Pipekit.Sync.Runs;

/// <summary>
/// The order of a run-log listing. <see cref="Newest"/> (by id, newest first) pages with the keyset cursor
/// <see cref="RunFilter.Before"/>; the others page with <see cref="RunFilter.Offset"/>, ties broken newest first.
/// </summary>
public enum RunSort
{
    Newest,
    Started,
    Duration,
    Rows,
    Status,
}
