using Pipekit.Core.Validation;
using Pipekit.Query.Catalog;
using Xunit;

namespace Pipekit.Query.Tests.Catalog;

/// <summary>Datasets that Sync runs register: source sync, the owning module recorded, and removal guarded.</summary>
public sealed class SyncDatasetRegistrationFacts : IDisposable
{
    private readonly CatalogTestBed _bed = new();

    public void Dispose() => _bed.Dispose();

    [Fact]
    public async Task A_registered_dataset_comes_from_sync_and_names_its_module()
    {
        var directory = Lake("orders");

        var line = await Registration().RegisterAsync("orders", directory, "parquet", "orders", CancellationToken.None);

        Assert.Equal("dataset orders registered: queryable as orders", line);
        var dataset = (await _bed.Store.FindAsync("orders", CancellationToken.None))!;
        Assert.Equal((DatasetSources.Sync, "orders", DatasetStatuses.Ok), (dataset.Source, dataset.Module, dataset.Status));
    }

    [Fact]
    public async Task A_dataset_added_by_hand_over_the_same_files_becomes_the_modules()
    {
        var directory = Lake("orders");
        await _bed.AddAsync("orders", directory, "parquet");

        var line = await Registration().RegisterAsync("orders", directory, "parquet", "orders", CancellationToken.None);

        Assert.Equal("dataset orders refreshed: queryable as orders", line);
        var dataset = (await _bed.Store.FindAsync("orders", CancellationToken.None))!;
        Assert.Equal((DatasetSources.Sync, "orders"), (dataset.Source, dataset.Module));
    }

    [Fact]
    public async Task A_dataset_of_that_name_over_other_files_is_left_alone()
    {
        QueryTestEngine.WriteParquet(_bed.Dir.File("other.parquet"), "SELECT 1 AS id");
        await _bed.AddAsync("orders", _bed.Dir.File("other.parquet"));

        var line = await Registration().RegisterAsync("orders", Lake("orders"), "parquet", "orders", CancellationToken.None);

        Assert.StartsWith("dataset orders not registered: that name already reads", line, StringComparison.Ordinal);
        Assert.Equal(DatasetSources.Api, (await _bed.Store.FindAsync("orders", CancellationToken.None))!.Source);
    }

    [Fact]
    public async Task Removing_a_sync_dataset_names_its_module_and_changes_nothing_unless_forced()
    {
        await Registration().RegisterAsync("orders", Lake("orders"), "parquet", "orders", CancellationToken.None);

        var refused = await Assert.ThrowsAsync<ValidationException>(() => _bed.Editor.RemoveAsync("orders", force: false, CancellationToken.None));

        Assert.Contains("belongs to sync module 'orders'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("pipekit datasets remove orders --force", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await _bed.Store.FindAsync("orders", CancellationToken.None));
        await _bed.Editor.RemoveAsync("orders", force: true, CancellationToken.None);
        Assert.Null(await _bed.Store.FindAsync("orders", CancellationToken.None));
    }

    [Fact]
    public async Task The_registrar_is_built_at_the_first_registration_and_never_for_a_refused_name()
    {
        var built = 0;
        var registration = new SyncDatasetRegistration(_bed.Store, () => { built++; return _bed.Registrar; });
        Assert.Equal(0, built);

        var refused = await registration.RegisterAsync("orders-2024", Lake("orders"), "parquet", "orders-2024", CancellationToken.None);
        Assert.StartsWith("dataset not registered: module name 'orders-2024' is not a view name", refused, StringComparison.Ordinal);
        Assert.Equal(0, built);

        await registration.RegisterAsync("orders", Lake("orders"), "parquet", "orders", CancellationToken.None);
        await registration.RegisterAsync("orders", Lake("orders"), "parquet", "orders", CancellationToken.None);
        Assert.Equal(1, built);
    }

    private SyncDatasetRegistration Registration() => new(_bed.Store, () => _bed.Registrar);

    // A published dataset directory: one file and the manifest naming it.
    private string Lake(string name)
    {
        var directory = _bed.Dir.File(Path.Combine("lake", name));
        Directory.CreateDirectory(Path.Combine(directory, "v1"));
        QueryTestEngine.WriteParquet(Path.Combine(directory, "v1", "part-0.parquet"), "SELECT * FROM range(3) t(id)");
        File.WriteAllText(Path.Combine(directory, "_pipekit_manifest.json"),
            """{"format": "parquet", "version": "v1", "written_at": "2026-01-01T00:00:00Z", "files": [{"path": "v1/part-0.parquet", "rows": 3}]}""");
        return directory;
    }
}
