namespace Pipekit.Query.Catalog;

/// <summary>Where a dataset's registration came from.</summary>
public static class DatasetSources
{
    public const string Api = "api";
    public const string Catalog = "catalog";
}
