using Pipekit.Core.Validation;

namespace Pipekit.Query.Catalog;

/// <summary>
/// Adds and removes datasets for the API and the CLI alike, and refreshes the views at once so that a new dataset
/// is queryable (or shows why not) when the call returns.
/// </summary>
public sealed class DatasetEditor(IDatasetStore store, DatasetRegistrar registrar)
{
    public async Task<Dataset> AddAsync(DatasetInput input, CancellationToken cancellationToken)
    {
        var dataset = DatasetValidator.Validate(input);
        await store.AddAsync(dataset, cancellationToken);
        await registrar.RefreshAsync(cancellationToken);
        return await store.FindAsync(dataset.Name, cancellationToken) ?? throw new DatasetNotFoundException(dataset.Name);
    }

    public async Task RemoveAsync(string name, CancellationToken cancellationToken)
    {
        if (await store.FindAsync(name, cancellationToken) is { Source: DatasetSources.Catalog })
            throw new ValidationException("name", $"dataset '{name}' comes from the external catalog ([query].catalog_url); remove it there");
        if (!await store.RemoveAsync(name, cancellationToken)) throw new DatasetNotFoundException(name);
        await registrar.RefreshAsync(cancellationToken);
    }
}
