using System.Security.Cryptography;
using System.Text;
using Pipekit.Query.Engine;
using Pipekit.Query.S3;

namespace Pipekit.Query.Catalog;

/// <summary>Finds a dataset's data now: local files as they are, S3 objects mirrored (cache mode) or read in place (direct mode).</summary>
public sealed class DatasetSourceResolver(S3Settings s3, S3Mirror mirror)
{
    public async Task<ResolvedSource> ResolveAsync(Dataset dataset, CancellationToken cancellationToken)
    {
        if (!dataset.Uri.StartsWith("s3://", StringComparison.Ordinal)) return await LocalSource.ResolveAsync(dataset.Uri, dataset.Format, cancellationToken);
        var location = S3Location.Parse(dataset.Uri);
        var objects = await mirror.ListAsync(location, cancellationToken);
        if (objects.Count == 0) throw new DatasetSourceException($"no object matches {location}");
        var etag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", objects.Select(o => o.Key + "|" + o.ETag)))))[..16];
        if (s3.IsDirect)
        {
            var target = location.IsPattern && location.Key.EndsWith('/') ? $"{dataset.Uri}**/*.{LocalSource.Extension(dataset.Format)}" : dataset.Uri;
            return new ResolvedSource(SqlText.Literal(target), [], [], etag);
        }
        var files = await mirror.MirrorAsync(location.Bucket, objects, cancellationToken);
        return new ResolvedSource(SqlText.List(files), files, [], etag);
    }

    /// <summary>The view over a resolved source: <c>SELECT * FROM read_parquet(…, options)</c>.</summary>
    public static ViewDefinition View(Dataset dataset, ResolvedSource source)
    {
        var reader = dataset.Format switch
        {
            "csv" => "read_csv",
            "json" => "read_json",
            _ => "read_parquet",
        };
        return new ViewDefinition(dataset.Name, $"SELECT * FROM {reader}({source.ReadTarget}{DatasetOptions.ToArguments(dataset.Options)})",
            source.Files, source.Directories);
    }
}
