namespace Pipekit.Query.Catalog;

/// <summary>What one refresh did. <see cref="Errors"/> names each dataset that failed and why (redacted).</summary>
public sealed record RefreshReport(int Created, int Updated, int Dropped, int Skipped, IReadOnlyDictionary<string, string> Errors, string? CatalogError,
    bool Published)
{
    public int Failed => Errors.Count;
}
