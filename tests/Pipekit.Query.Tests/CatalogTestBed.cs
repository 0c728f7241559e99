using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Query.Catalog;
using Pipekit.Query.Engine;
using Pipekit.Query.S3;
using Pipekit.Testing;

namespace Pipekit.Query.Tests;

/// <summary>A real state store, engine, mirror and registrar in a temp directory.</summary>
internal sealed class CatalogTestBed : IDisposable
{
    public CatalogTestBed(S3Options? s3 = null, string? accessKey = null, string? secretKey = null, ExternalCatalog? catalog = null, long cacheMb = 1024)
    {
        var store = new StateStore(Dir.File("pipekit.db"), 5000, Migrator.ForParts([StatePart.Core, Pipekit.Query.State.QuerySchema.Part], StoreKind.Sqlite, TimeProvider.System));
        store.InitializeAsync(CancellationToken.None).GetAwaiter().GetResult();
        Store = new DatasetRepository(store, TimeProvider.System);
        var redactor = new Redactor(new[] { accessKey, secretKey }.OfType<string>());
        Settings = new S3Settings((s3 ?? new S3Options()) with { CacheMaxMegabytes = cacheMb }, accessKey, secretKey, Path.Combine(Dir.Path, "cache", "s3"));
        Mirror = new S3Mirror(Settings, redactor, NullLogger<S3Mirror>.Instance);
        Engine = QueryTestEngine.Create(redactor: redactor);
        Registrar = new DatasetRegistrar(Store, Engine, new DatasetSourceResolver(Settings, Mirror), Mirror, redactor, NullLogger<DatasetRegistrar>.Instance,
            catalog);
        Editor = new DatasetEditor(Store, Registrar);
    }

    public TempDirectory Dir { get; } = new();
    public DatasetRepository Store { get; }
    public S3Settings Settings { get; }
    public S3Mirror Mirror { get; }
    public QueryEngine Engine { get; }
    public DatasetRegistrar Registrar { get; }
    public DatasetEditor Editor { get; }

    public Task<Dataset> AddAsync(string name, string uri, string? format = null) =>
        Editor.AddAsync(new DatasetInput(name, uri, format, null), CancellationToken.None);

    public void Dispose()
    {
        Registrar.Dispose();
        Engine.Dispose();
        Mirror.Dispose();
        Dir.Dispose();
    }
}
