using Amazon.S3;
using Amazon.S3.Model;
using Pipekit.Core.Configuration;
using Pipekit.Query.Catalog;
using Pipekit.Query.Engine;
using Xunit;

namespace Pipekit.Query.Tests.Catalog;

public sealed class S3CacheFacts : IClassFixture<S3rverFixture>, IDisposable
{
    private readonly CatalogTestBed _bed;
    private readonly AmazonS3Client _client;

    public S3CacheFacts(S3rverFixture s3)
    {
        var options = new S3Options { Endpoint = s3.Endpoint, UseSsl = false, UrlStyle = "path", Bucket = S3rverFixture.Bucket };
        // s3rver checks signatures against its own S3RVER/S3RVER pair.
        _bed = new CatalogTestBed(options, S3rverFixture.AccessKey, S3rverFixture.SecretKey);
        _client = _bed.Settings.CreateClient();
    }

    [S3Fact]
    public async Task An_object_is_mirrored_then_a_new_etag_is_fetched_again_and_a_deleted_object_fails_the_dataset()
    {
        var key = $"sales-{Guid.NewGuid():N}.parquet";
        await PutParquetAsync(key, "SELECT * FROM range(3) t(id)");

        var dataset = await _bed.AddAsync("sales", $"s3://{S3rverFixture.Bucket}/{key}");

        Assert.Equal(DatasetStatuses.Ok, dataset.Status);
        Assert.Equal(3L, (await QueryTestEngine.RowsAsync(_bed.Engine, "SELECT count(*) FROM sales"))[0][0]);
        var firstCopies = CachedFiles();
        Assert.Single(firstCopies);

        // Unchanged: nothing fetched, nothing published.
        var quiet = await _bed.Registrar.RefreshAsync(CancellationToken.None);
        Assert.False(quiet.Published);

        // Changed object, new ETag: fetched again into a new file, the view reads it.
        await PutParquetAsync(key, "SELECT * FROM range(7) t(id)");
        var changed = await _bed.Registrar.RefreshAsync(CancellationToken.None);
        Assert.Equal(1, changed.Updated);
        Assert.Equal(7L, (await QueryTestEngine.RowsAsync(_bed.Engine, "SELECT count(*) FROM sales"))[0][0]);
        Assert.Contains(CachedFiles(), f => !firstCopies.Contains(f));

        // Deleted object: the dataset fails with a reason, its view is gone.
        await _client.DeleteObjectAsync(S3rverFixture.Bucket, key);
        var deleted = await _bed.Registrar.RefreshAsync(CancellationToken.None);
        Assert.Contains("sales", deleted.Errors.Keys);
        Assert.Equal(DatasetStatuses.Error, (await _bed.Store.FindAsync("sales", CancellationToken.None))!.Status);
        await Assert.ThrowsAsync<QueryException>(() => QueryTestEngine.RowsAsync(_bed.Engine, "SELECT * FROM sales"));
    }

    [S3Fact]
    public async Task A_prefix_is_every_object_under_it()
    {
        var prefix = $"parts-{Guid.NewGuid():N}/";
        await PutParquetAsync(prefix + "a.parquet", "SELECT 1 AS id");
        await PutParquetAsync(prefix + "b.parquet", "SELECT 2 AS id");

        await _bed.AddAsync("parts", $"s3://{S3rverFixture.Bucket}/{prefix}");

        Assert.Equal(2L, (await QueryTestEngine.RowsAsync(_bed.Engine, "SELECT count(*) FROM parts"))[0][0]);
    }

    [S3Fact]
    public async Task The_mirror_evicts_least_recently_used_copies_beyond_its_budget_but_not_copies_in_use()
    {
        using var bed = new CatalogTestBed(_bed.Settings.Options, S3rverFixture.AccessKey, S3rverFixture.SecretKey, cacheMb: 1);
        var big = $"big-{Guid.NewGuid():N}.parquet";
        await PutParquetAsync(big, "SELECT md5(i::VARCHAR) || md5((i + 1)::VARCHAR) AS s FROM range(40000) t(i)");
        await bed.AddAsync("big", $"s3://{S3rverFixture.Bucket}/{big}");
        var inUse = Directory.GetFiles(bed.Settings.CacheDirectory, "*", SearchOption.AllDirectories).Single();
        Assert.True(new FileInfo(inUse).Length > 1024 * 1024);

        await bed.Editor.RemoveAsync("big", force: false, CancellationToken.None);

        Assert.False(File.Exists(inUse));
    }

    [S3Fact]
    public async Task Credentials_never_appear_in_a_dataset_error()
    {
        using var bed = new CatalogTestBed(_bed.Settings.Options, "WRONGKEY123", "wrong-secret-value-123");

        var dataset = await bed.AddAsync("nope", $"s3://{S3rverFixture.Bucket}/missing-{Guid.NewGuid():N}.parquet");

        Assert.Equal(DatasetStatuses.Error, dataset.Status);
        Assert.DoesNotContain("wrong-secret-value-123", dataset.LastError);
        Assert.DoesNotContain("WRONGKEY123", dataset.LastError);
    }

    private List<string> CachedFiles() => Directory.GetFiles(_bed.Settings.CacheDirectory, "*", SearchOption.AllDirectories).ToList();

    private async Task PutParquetAsync(string key, string select)
    {
        var path = _bed.Dir.File(Guid.NewGuid().ToString("N") + ".parquet");
        QueryTestEngine.WriteParquet(path, select);
        await _client.PutObjectAsync(new PutObjectRequest { BucketName = S3rverFixture.Bucket, Key = key, FilePath = path, UseChunkEncoding = false });
    }

    public void Dispose()
    {
        _client.Dispose();
        _bed.Dispose();
    }
}
