using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;
using Pipekit.Query.Engine;
using Pipekit.Query.S3;

namespace Pipekit.Query.Catalog;

/// <summary>
/// Keeps the engine's views in step with the catalog (seed 003's registrar). A refresh mirrors the external catalog
/// into the store, finds each dataset's data, and publishes the whole set of views at once. A dataset whose
/// definition and etag are unchanged is skipped (not fetched or checked again); if nothing changed, nothing is
/// published. Each dataset's failure is collected and stored as its status and last_error, and never stops the
/// others (the seed's C1 lesson). Refreshes take turns.
/// </summary>
public sealed class DatasetRegistrar(IDatasetStore store, QueryEngine engine, DatasetSourceResolver resolver, S3Mirror mirror, Redactor redactor,
    ILogger<DatasetRegistrar> logger, ExternalCatalog? catalog = null) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Dictionary<string, Published> _published = new(StringComparer.Ordinal);

    public async Task<RefreshReport> RefreshAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var catalogError = catalog is null ? null : await SyncCatalogAsync(cancellationToken);
            var datasets = await store.ListAsync(cancellationToken);
            var next = new Dictionary<string, Published>(StringComparer.Ordinal);
            var errors = new Dictionary<string, string>(StringComparer.Ordinal);
            int created = 0, updated = 0, skipped = 0;
            // Drop pass: registrations that are gone. Their views are simply not in the next database.
            var dropped = _published.Keys.Count(name => datasets.All(d => d.Name != name));
            foreach (var dataset in datasets)
            {
                _published.TryGetValue(dataset.Name, out var previous);
                ResolvedSource? source = null;
                string? error = null;
                try
                {
                    source = await resolver.ResolveAsync(dataset, cancellationToken);
                }
                catch (DatasetSourceException e)
                {
                    error = redactor.Redact(e.Message);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or Amazon.Runtime.AmazonServiceException)
                {
                    error = redactor.Redact(e.Message);
                }
                var view = source is null ? null : DatasetSourceResolver.View(dataset, source);
                var current = new Published(dataset.UpdatedAt, dataset.Uri, dataset.Format, source?.Etag, view, error, null);
                if (previous is not null && previous.SameAs(current))
                {
                    next[dataset.Name] = previous;
                    skipped++;
                    if (previous.Error is { } e) errors[dataset.Name] = e;
                    continue;
                }
                if (previous is null) created++;
                else updated++;
                next[dataset.Name] = current;
            }

            var changed = created + updated + dropped > 0 || engine.Generation == 0 && next.Count > 0;
            if (changed)
            {
                var views = next.Values.Where(p => p.View is not null).Select(p => p.View!).ToList();
                var outcomes = await engine.PublishAsync(views, cancellationToken);
                foreach (var outcome in outcomes.Where(o => !o.Ok))
                    next[outcome.Name] = next[outcome.Name] with { ViewError = outcome.Error };
                foreach (var dataset in datasets)
                {
                    var result = next[dataset.Name];
                    if (result.Error is { } e) errors[dataset.Name] = e;
                    var status = result.Error is null ? DatasetStatuses.Ok : DatasetStatuses.Error;
                    if (status != dataset.Status || result.Error != dataset.LastError || result.Etag != dataset.Etag)
                        await store.RecordRefreshAsync(dataset.Name, status, result.Error, result.Etag, cancellationToken);
                }
                mirror.Evict(next.Values.Where(p => p.Error is null).SelectMany(p => p.View!.Files).ToHashSet(StringComparer.Ordinal));
            }
            _published = next;
            var report = new RefreshReport(created, updated, dropped, skipped, errors, catalogError, changed);
            if (changed || errors.Count > 0)
                logger.LogInformation("Datasets refreshed: {Created} created, {Updated} updated, {Dropped} dropped, {Skipped} skipped, {Failed} failed",
                    created, updated, dropped, skipped, errors.Count);
            foreach (var (name, error) in errors) logger.LogWarning("Dataset {Dataset} is not queryable: {Error}", name, error);
            return report;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    // Mirrors the external catalog's manifests into the store as source 'catalog' datasets. A failure leaves the
    // catalog's datasets as they were (an unreachable catalog must not empty the lake) and is reported.
    private async Task<string?> SyncCatalogAsync(CancellationToken cancellationToken)
    {
        IReadOnlyList<CatalogManifest> manifests;
        try
        {
            manifests = await catalog!.ListAsync(cancellationToken);
        }
        catch (Exception e) when (e is DatasetSourceException or HttpRequestException or System.Text.Json.JsonException or TaskCanceledException
                                      && !cancellationToken.IsCancellationRequested)
        {
            var message = redactor.Redact(e.Message);
            logger.LogWarning("External catalog not read: {Error}", message);
            return message;
        }
        var existing = (await store.ListAsync(cancellationToken)).ToDictionary(d => d.Name, StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var manifest in manifests)
        {
            Dataset wanted;
            try
            {
                wanted = DatasetValidator.Validate(new DatasetInput(manifest.Name, manifest.Uri, manifest.Format, null), DatasetSources.Catalog)
                    with { UpdatedAt = manifest.UpdatedAt };
            }
            catch (Core.Validation.ValidationException e)
            {
                problems.Add($"manifest '{manifest.Name}': {e.Message}");
                continue;
            }
            if (existing.TryGetValue(manifest.Name, out var current))
            {
                if (current.Source != DatasetSources.Catalog)
                {
                    problems.Add(current.Source == DatasetSources.Sync
                        ? $"manifest '{manifest.Name}' is ignored: a dataset of that name belongs to sync module '{current.Module}'"
                        : $"manifest '{manifest.Name}' is ignored: a dataset of that name was added by hand");
                    continue;
                }
                if (current.Uri != wanted.Uri || current.Format != wanted.Format || current.UpdatedAt != wanted.UpdatedAt)
                    await store.UpdateDefinitionAsync(wanted, cancellationToken);
                continue;
            }
            try
            {
                await store.AddAsync(wanted, cancellationToken);
                await store.UpdateDefinitionAsync(wanted, cancellationToken);
            }
            catch (DatasetNameTakenException)
            {
                // Added by someone else between the listing and now; the next refresh sees it.
            }
        }
        foreach (var gone in existing.Values.Where(d => d.Source == DatasetSources.Catalog && manifests.All(m => m.Name != d.Name)))
            await store.RemoveAsync(gone.Name, cancellationToken);
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

    // What was published for one dataset. SourceError: its data could not be found; ViewError: DuckDB refused the view
    // (a poison file). A dataset is unchanged when its definition, its data's etag and its source error are.
    private sealed record Published(DateTimeOffset UpdatedAt, string Uri, string Format, string? Etag, ViewDefinition? View, string? SourceError,
        string? ViewError)
    {
        public string? Error => SourceError ?? ViewError;

        public bool SameAs(Published other) =>
            UpdatedAt == other.UpdatedAt && Uri == other.Uri && Format == other.Format && Etag == other.Etag && SourceError == other.SourceError;
    }
}
