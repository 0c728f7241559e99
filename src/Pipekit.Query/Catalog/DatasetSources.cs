namespace Pipekit.Query.Catalog;

/// <summary>Where a dataset's registration came from.</summary>
public static class DatasetSources
{
    public const string Api = "api";
    public const string Catalog = "catalog";

    /// <summary>Registered by the runs of a Sync module with a Parquet destination; <see cref="Dataset.Module"/> names it.</summary>
    public const string Sync = "sync";
}
