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

    /// <summary>
    /// Removes a dataset. One a Sync module registers is refused unless <paramref name="force"/>: the module's next run
    /// would register it again, so the error names the module and what to do.
    /// </summary>
    public async Task RemoveAsync(string name, bool force, CancellationToken cancellationToken)
    {
        var dataset = await store.FindAsync(name, cancellationToken);
        if (dataset is { Source: DatasetSources.Catalog })
            throw new ValidationException("name", $"dataset '{name}' comes from the external catalog ([query].catalog_url); remove it there");
        if (dataset is { Source: DatasetSources.Sync } && !force)
            throw new ValidationException("name",
                $"dataset '{name}' belongs to sync module '{dataset.Module}', whose every run registers it again; delete the module or change its " +
                $"destination first, then remove the dataset with 'pipekit datasets remove {name} --force' (API: POST /api/datasets/{name}/delete?force=true); its files stay either way");
        if (!await store.RemoveAsync(name, cancellationToken)) throw new DatasetNotFoundException(name);
        await registrar.RefreshAsync(cancellationToken);
    }
}
