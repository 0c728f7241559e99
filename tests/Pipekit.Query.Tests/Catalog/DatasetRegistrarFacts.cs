using Pipekit.Core.Validation;
using Pipekit.Query.Catalog;
using Pipekit.Query.Engine;
using Xunit;

namespace Pipekit.Query.Tests.Catalog;

public sealed class DatasetRegistrarFacts : IDisposable
{
    private readonly CatalogTestBed _bed = new();

    [Fact]
    public async Task An_added_dataset_is_queryable_at_once_and_marked_ok()
    {
        QueryTestEngine.WriteParquet(_bed.Dir.File("sales.parquet"), "SELECT * FROM range(5) t(id)");

        var dataset = await _bed.AddAsync("sales", _bed.Dir.File("sales.parquet"));

        Assert.Equal(DatasetStatuses.Ok, dataset.Status);
        Assert.Equal(5L, (await QueryTestEngine.RowsAsync(_bed.Engine, "SELECT count(*) FROM sales"))[0][0]);
    }

    [Fact]
    public async Task A_poison_dataset_is_isolated_and_the_others_are_published()
    {
        QueryTestEngine.WriteParquet(_bed.Dir.File("good.parquet"), "SELECT 1 AS id");
        await File.WriteAllTextAsync(_bed.Dir.File("poison.parquet"), "this is not parquet");
        await _bed.Store.AddAsync(new Dataset { Name = "poison", Uri = _bed.Dir.File("poison.parquet"), Format = "parquet" }, CancellationToken.None);
        await _bed.Store.AddAsync(new Dataset { Name = "missing", Uri = _bed.Dir.File("nothing.parquet"), Format = "parquet" }, CancellationToken.None);
        await _bed.Store.AddAsync(new Dataset { Name = "good", Uri = _bed.Dir.File("good.parquet"), Format = "parquet" }, CancellationToken.None);

        var report = await _bed.Registrar.RefreshAsync(CancellationToken.None);

        Assert.Equal(["missing", "poison"], report.Errors.Keys.Order());
        Assert.Single(await QueryTestEngine.RowsAsync(_bed.Engine, "SELECT * FROM good"));
        var poison = (await _bed.Store.FindAsync("poison", CancellationToken.None))!;
        Assert.Equal(DatasetStatuses.Error, poison.Status);
        Assert.Contains("parquet", poison.LastError, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("does not exist", (await _bed.Store.FindAsync("missing", CancellationToken.None))!.LastError);
        Assert.Equal(DatasetStatuses.Ok, (await _bed.Store.FindAsync("good", CancellationToken.None))!.Status);
        await Assert.ThrowsAsync<QueryException>(() => QueryTestEngine.RowsAsync(_bed.Engine, "SELECT * FROM poison"));
    }

    [Fact]
    public async Task An_unchanged_catalog_is_skipped_and_a_rewritten_file_is_republished()
    {
        var path = _bed.Dir.File("t.parquet");
        QueryTestEngine.WriteParquet(path, "SELECT 1 AS v");
        await _bed.AddAsync("t", path);
        var generation = _bed.Engine.Generation;

        var quiet = await _bed.Registrar.RefreshAsync(CancellationToken.None);
        Assert.False(quiet.Published);
        Assert.Equal(1, quiet.Skipped);
        Assert.Equal(generation, _bed.Engine.Generation);

        QueryTestEngine.WriteParquet(path, "SELECT 2 AS v UNION ALL SELECT 3");
        File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddMinutes(1));
        var changed = await _bed.Registrar.RefreshAsync(CancellationToken.None);

        Assert.Equal(1, changed.Updated);
        Assert.Equal(2, (await QueryTestEngine.RowsAsync(_bed.Engine, "SELECT * FROM t")).Count);
    }

    [Fact]
    public async Task A_removed_dataset_is_dropped()
    {
        QueryTestEngine.WriteParquet(_bed.Dir.File("a.parquet"), "SELECT 1 AS v");
        await _bed.AddAsync("a", _bed.Dir.File("a.parquet"));

        await _bed.Editor.RemoveAsync("a", force: false, CancellationToken.None);

        await Assert.ThrowsAsync<QueryException>(() => QueryTestEngine.RowsAsync(_bed.Engine, "SELECT * FROM a"));
        Assert.Null(await _bed.Store.FindAsync("a", CancellationToken.None));
    }

    [Fact]
    public async Task A_glob_of_csv_files_with_options_is_one_view()
    {
        Directory.CreateDirectory(_bed.Dir.File("csv"));
        await File.WriteAllTextAsync(_bed.Dir.File("csv/1.csv"), "id;name\n1;a\n");
        await File.WriteAllTextAsync(_bed.Dir.File("csv/2.csv"), "id;name\n2;b\n");
        using var options = System.Text.Json.JsonDocument.Parse("{\"header\": true, \"delim\": \";\"}");

        await _bed.Editor.AddAsync(new DatasetInput("people", _bed.Dir.File("csv/*.csv"), null, options.RootElement), CancellationToken.None);

        Assert.Equal(2, (await QueryTestEngine.RowsAsync(_bed.Engine, "SELECT name FROM people ORDER BY id")).Count);
    }

    [Theory]
    [InlineData("1bad", "/data/x.parquet", null, "name")]
    [InlineData("ok", "relative/x.parquet", null, "uri")]
    [InlineData("ok", "http://example.com/x.parquet", null, "uri")]
    [InlineData("ok", "/data/x.txt", null, "format")]
    [InlineData("ok", "/data/x.parquet", "xml", "format")]
    [InlineData("ok", "s3://bucket", null, "uri")]
    public async Task Bad_input_is_refused_naming_the_field_and_stores_nothing(string name, string uri, string? format, string field)
    {
        var error = await Assert.ThrowsAsync<ValidationException>(() => _bed.Editor.AddAsync(new DatasetInput(name, uri, format, null), CancellationToken.None));

        Assert.Contains(field, error.Errors.Keys);
        Assert.Empty(await _bed.Store.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_unknown_option_is_refused()
    {
        using var options = System.Text.Json.JsonDocument.Parse("{\"sql\": \"x') ; DROP\"}");

        var error = await Assert.ThrowsAsync<ValidationException>(() =>
            _bed.Editor.AddAsync(new DatasetInput("t", "/data/x.parquet", null, options.RootElement), CancellationToken.None));

        Assert.Contains("unknown parquet option 'sql'", error.Message);
    }

    [Fact]
    public async Task A_taken_name_is_a_conflict()
    {
        QueryTestEngine.WriteParquet(_bed.Dir.File("a.parquet"), "SELECT 1 AS v");
        await _bed.AddAsync("a", _bed.Dir.File("a.parquet"));

        await Assert.ThrowsAsync<DatasetNameTakenException>(() => _bed.AddAsync("a", _bed.Dir.File("a.parquet")));
    }

    public void Dispose() => _bed.Dispose();
}
