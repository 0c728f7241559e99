using System.Text.Json;
using Pipekit.Core.Datasets;

namespace Pipekit.Query.Catalog;

/// <summary>
/// Registers the dataset a Sync module publishes (a Parquet destination) under the module's name, with source <c>sync</c>
/// and the module as its owner, or refreshes it when it is there already, so the data is queryable when the run ends.
/// A dataset of that name over other files is left alone; one over the same files added by hand becomes the module's.
/// The registrar (and the DuckDB database of the Query engine behind it) is built on the first registration: every
/// module run is handed this object, and a run without a Parquet destination (a cron job's <c>pipekit run</c>) must not
/// pay for starting DuckDB.
/// </summary>
internal sealed class SyncDatasetRegistration : IDatasetRegistration
{
    private readonly IDatasetStore _store;
    private readonly Lazy<DatasetRegistrar> _registrar;

    public SyncDatasetRegistration(IDatasetStore store, Func<DatasetRegistrar> registrar)
    {
        _store = store;
        _registrar = new Lazy<DatasetRegistrar>(registrar, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public async Task<string> RegisterAsync(string name, string uri, string format, string module, CancellationToken cancellationToken)
    {
        if (!DatasetValidator.IsValidName(name))
            return $"dataset not registered: module name '{name}' is not a view name; register it with pipekit datasets add <name> {uri}";
        var existing = await _store.FindAsync(name, cancellationToken);
        if (existing is not null && !string.Equals(existing.Uri, uri, StringComparison.Ordinal))
            return $"dataset {name} not registered: that name already reads {existing.Uri}; remove it (pipekit datasets remove {name}) to let this module register it";
        var added = false;
        if (existing is null)
        {
            // union_by_name: an appended file written after a schema change (add_columns) has more columns than the older ones.
            var input = new DatasetInput(name, uri, format, JsonSerializer.SerializeToElement(new Dictionary<string, object> { ["union_by_name"] = true }));
            try
            {
                await _store.AddAsync(DatasetValidator.Validate(input) with { Source = DatasetSources.Sync, Module = module }, cancellationToken);
                added = true;
            }
            catch (DatasetNameTakenException)
            {
                // Another run registered it first: a refresh below picks up both.
            }
        }
        else if (existing.Source != DatasetSources.Catalog && (existing.Source != DatasetSources.Sync || existing.Module != module))
        {
            await _store.ClaimForModuleAsync(name, module, cancellationToken);
        }
        await _registrar.Value.RefreshAsync(cancellationToken);
        var now = await _store.FindAsync(name, cancellationToken);
        var verb = added ? "registered" : "refreshed";
        return now is { Status: DatasetStatuses.Error } ? $"dataset {name} {verb} but not queryable: {now.LastError}" : $"dataset {name} {verb}: queryable as {name}";
    }
}
