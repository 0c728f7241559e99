using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Secrets;

namespace Pipekit.Query.S3;

/// <summary>
/// <c>[s3] mode = "cache"</c>: copies the objects of S3 datasets into <c>$PIPEKIT_HOME/cache/s3/</c> so DuckDB reads
/// local files (httpfs cannot be downloaded offline, and local reads are faster). A copy is keyed by the object's
/// ETag, so a changed object is fetched again and an unchanged one never; it is written to a temporary file and
/// renamed, so a reader never sees half a file; and the mirror keeps to a size budget by evicting the least recently
/// used copies that no published view reads.
/// </summary>
public sealed class S3Mirror(S3Settings settings, Redactor redactor, ILogger<S3Mirror> logger) : IDisposable
{
    private readonly Lazy<AmazonS3Client> _client = new(settings.CreateClient);

    public string Root => settings.CacheDirectory;

    /// <summary>The objects <paramref name="location"/> names, with their ETags, without downloading them.</summary>
    public async Task<IReadOnlyList<S3ObjectVersion>> ListAsync(S3Location location, CancellationToken cancellationToken)
    {
        try
        {
            if (!location.IsPattern)
            {
                var head = await _client.Value.GetObjectMetadataAsync(location.Bucket, location.Key, cancellationToken);
                return [new S3ObjectVersion(location.Key, head.ETag.Trim('"'), head.ContentLength)];
            }
            var objects = new List<S3ObjectVersion>();
            var request = new ListObjectsV2Request { BucketName = location.Bucket, Prefix = location.Prefix };
            ListObjectsV2Response response;
            do
            {
                response = await _client.Value.ListObjectsV2Async(request, cancellationToken);
                foreach (var o in response.S3Objects ?? [])
                {
                    if (o.Key.EndsWith('/')) continue;
                    if (location.Key.EndsWith('/') || FileSystemName.MatchesSimpleExpression(location.Key, o.Key))
                        objects.Add(new S3ObjectVersion(o.Key, o.ETag.Trim('"'), o.Size ?? 0));
                }
                request.ContinuationToken = response.NextContinuationToken;
            }
            while (response.IsTruncated == true);
            return objects.OrderBy(o => o.Key, StringComparer.Ordinal).ToList();
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new Catalog.DatasetSourceException($"{location} does not exist");
        }
        catch (AmazonS3Exception e)
        {
            throw new Catalog.DatasetSourceException($"S3 refused listing {location}: {redactor.Redact(e.Message)}");
        }
        catch (HttpRequestException e)
        {
            throw new Catalog.DatasetSourceException($"S3 endpoint unreachable for {location}: {redactor.Redact(e.Message)}");
        }
    }

    /// <summary>Local copies of <paramref name="objects"/>, fetching those whose ETag is not cached yet.</summary>
    public async Task<IReadOnlyList<string>> MirrorAsync(string bucket, IReadOnlyList<S3ObjectVersion> objects, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(Root, bucket);
        Directory.CreateDirectory(directory);
        var paths = new List<string>(objects.Count);
        foreach (var o in objects)
        {
            var path = Path.Combine(directory, LocalName(o));
            if (File.Exists(path))
            {
                File.SetLastAccessTimeUtc(path, DateTime.UtcNow);
            }
            else
            {
                var temp = Path.Combine(directory, $".{Guid.NewGuid():N}.tmp");
                try
                {
                    using var response = await _client.Value.GetObjectAsync(bucket, o.Key, cancellationToken);
                    await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                        await response.ResponseStream.CopyToAsync(file, cancellationToken);
                    File.Move(temp, path, overwrite: true);
                    logger.LogInformation("Mirrored s3://{Bucket}/{Key} ({Bytes} bytes, etag {Etag})", bucket, o.Key, o.Size, o.ETag);
                }
                catch (AmazonS3Exception e)
                {
                    throw new Catalog.DatasetSourceException($"S3 refused s3://{bucket}/{o.Key}: {redactor.Redact(e.Message)}");
                }
                finally
                {
                    if (File.Exists(temp)) File.Delete(temp);
                }
            }
            paths.Add(path);
        }
        return paths;
    }

    /// <summary>
    /// Deletes the least recently used copies until the mirror fits <c>[s3].cache_max_mb</c>, never one in
    /// <paramref name="inUse"/> (read by a published view). Returns the number of files deleted.
    /// </summary>
    public int Evict(IReadOnlySet<string> inUse)
    {
        if (!Directory.Exists(Root)) return 0;
        var budget = settings.Options.CacheMaxMegabytes * 1024 * 1024;
        var files = new DirectoryInfo(Root).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => !f.Name.StartsWith('.')).ToList();
        var total = files.Sum(f => f.Length);
        var evicted = 0;
        foreach (var file in files.Where(f => !inUse.Contains(f.FullName)).OrderBy(f => f.LastAccessTimeUtc))
        {
            if (total <= budget) break;
            total -= file.Length;
            file.Delete();
            evicted++;
        }
        return evicted;
    }

    public void Dispose()
    {
        if (_client.IsValueCreated) _client.Value.Dispose();
    }

    // The key's hash keeps names short and safe; the ETag makes a new version a new file; the extension lets DuckDB
    // recognise compressed CSV/JSON.
    private static string LocalName(S3ObjectVersion o)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(o.Key)))[..20];
        var etag = new string(o.ETag.Where(char.IsAsciiLetterOrDigit).ToArray());
        var name = Path.GetFileName(o.Key);
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        var extension = dot >= 0 ? name[dot..] : "";
        return $"{hash}-{etag}{new string(extension.Where(c => char.IsAsciiLetterOrDigit(c) || c == '.').ToArray())}";
    }
}
