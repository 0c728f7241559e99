namespace Pipekit.Core.Datasets;

/// <summary>
/// Registers a dataset written by another part (a Sync module with a Parquet destination) with the Query catalog and
/// refreshes its view, so the data is queryable when the call returns. Implemented by Query; absent when Query is not hosted.
/// </summary>
public interface IDatasetRegistration
{
    /// <summary>
    /// Adds the dataset <paramref name="name"/> over <paramref name="uri"/>, owned by the Sync module <paramref name="module"/>,
    /// or refreshes it; returns a line for the run log.
    /// </summary>
    Task<string> RegisterAsync(string name, string uri, string format, string module, CancellationToken cancellationToken);
}
