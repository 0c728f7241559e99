using System.Net;
using System.Text;
using Pipekit.Query.Catalog;
using Pipekit.Query.Engine;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Query.Tests.Catalog;

public sealed class ExternalCatalogFacts : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _url;
    private readonly HttpClient _http = new();
    private volatile string _manifests = "[]";
    private volatile int _status = 200;

    public ExternalCatalogFacts()
    {
        var port = FreePort.Next();
        _url = $"http://127.0.0.1:{port}/";
        _listener.Prefixes.Add(_url);
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    [Fact]
    public async Task Manifests_become_datasets_and_a_manifest_that_disappears_drops_its_view()
    {
        using var bed = new CatalogTestBed(catalog: new ExternalCatalog(_http, _url, "lake"));
        QueryTestEngine.WriteParquet(bed.Dir.File("orders.parquet"), "SELECT * FROM range(4) t(id)");
        _manifests = $$"""[{"name": "orders", "uri": "{{bed.Dir.File("orders.parquet")}}", "updated_at": "2026-01-01T00:00:00Z"}]""";

        var report = await bed.Registrar.RefreshAsync(CancellationToken.None);

        Assert.Null(report.CatalogError);
        Assert.Equal(4L, (await QueryTestEngine.RowsAsync(bed.Engine, "SELECT count(*) FROM orders"))[0][0]);
        Assert.Equal(DatasetSources.Catalog, (await bed.Store.FindAsync("orders", CancellationToken.None))!.Source);

        _manifests = "[]";
        await bed.Registrar.RefreshAsync(CancellationToken.None);

        await Assert.ThrowsAsync<QueryException>(() => QueryTestEngine.RowsAsync(bed.Engine, "SELECT * FROM orders"));
    }

    [Fact]
    public async Task A_key_manifest_names_an_object_in_the_configured_bucket()
    {
        using var bed = new CatalogTestBed(catalog: new ExternalCatalog(_http, _url, "lake"));
        _manifests = """{"manifests": [{"name": "events", "key": "events/2026.parquet", "updated_at": "2026-01-01T00:00:00Z"}]}""";

        await bed.Registrar.RefreshAsync(CancellationToken.None);

        Assert.Equal("s3://lake/events/2026.parquet", (await bed.Store.FindAsync("events", CancellationToken.None))!.Uri);
    }

    [Fact]
    public async Task An_unreachable_catalog_keeps_its_datasets_and_is_reported()
    {
        using var bed = new CatalogTestBed(catalog: new ExternalCatalog(_http, _url, "lake"));
        QueryTestEngine.WriteParquet(bed.Dir.File("orders.parquet"), "SELECT 1 AS id");
        _manifests = $$"""[{"name": "orders", "uri": "{{bed.Dir.File("orders.parquet")}}", "updated_at": "2026-01-01T00:00:00Z"}]""";
        await bed.Registrar.RefreshAsync(CancellationToken.None);

        _status = 500;
        var report = await bed.Registrar.RefreshAsync(CancellationToken.None);

        Assert.Contains("500", report.CatalogError);
        Assert.Single(await QueryTestEngine.RowsAsync(bed.Engine, "SELECT * FROM orders"));
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }
            var body = Encoding.UTF8.GetBytes(context.Request.Url!.AbsolutePath == "/catalog/list" ? _manifests : "not found");
            context.Response.StatusCode = context.Request.Url.AbsolutePath == "/catalog/list" ? _status : 404;
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
        _http.Dispose();
    }
}
