namespace Pipekit.Query.Catalog;

/// <summary>A dataset's state after the last refresh.</summary>
public static class DatasetStatuses
{
    public const string Pending = "pending";
    public const string Ok = "ok";
    public const string Error = "error";
}
