namespace Pipekit.Query.Catalog;

/// <summary>Where dataset registrations and their refresh status are kept (the state store's <c>dataset</c> table).</summary>
public interface IDatasetStore
{
    Task<IReadOnlyList<Dataset>> ListAsync(CancellationToken cancellationToken);

    Task<Dataset?> FindAsync(string name, CancellationToken cancellationToken);

    /// <summary>Inserts a dataset; a taken name is a <see cref="DatasetNameTakenException"/>.</summary>
    Task<Dataset> AddAsync(Dataset dataset, CancellationToken cancellationToken);

    /// <summary>Changes uri, format and options of an existing dataset (used for catalog manifests that changed).</summary>
    Task UpdateDefinitionAsync(Dataset dataset, CancellationToken cancellationToken);

    /// <summary>Marks a dataset (not one from the external catalog) as written by the Sync module <paramref name="module"/>.</summary>
    Task<bool> ClaimForModuleAsync(string name, string module, CancellationToken cancellationToken);

    Task<bool> RemoveAsync(string name, CancellationToken cancellationToken);

    /// <summary>Records the outcome of a refresh for one dataset.</summary>
    Task RecordRefreshAsync(string name, string status, string? lastError, string? etag, CancellationToken cancellationToken);
}
