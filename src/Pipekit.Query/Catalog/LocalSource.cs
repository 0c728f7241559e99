using System.IO.Enumeration;
using System.Security.Cryptography;
using System.Text;
using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Parquet;
using Pipekit.Query.Engine;

namespace Pipekit.Query.Catalog;

/// <summary>Local datasets: one file, a directory (every file of the format under it) or a glob.</summary>
internal static class LocalSource
{
    public static async Task<ResolvedSource> ResolveAsync(string uri, string format, CancellationToken cancellationToken)
    {
        if (Directory.Exists(uri) && File.Exists(Path.Combine(uri, ParquetManifest.FileName))) return await ResolveManifestAsync(uri, cancellationToken);
        return Resolve(uri, format);
    }

    public static ResolvedSource Resolve(string uri, string format)
    {
        if (Directory.Exists(uri)) return ResolveGlob(Path.Combine(uri, "**", "*." + Extension(format)));
        if (uri.AsSpan().IndexOfAny("*?[") >= 0) return ResolveGlob(uri);
        var file = new FileInfo(uri);
        if (!file.Exists) throw new DatasetSourceException($"file {uri} does not exist");
        return new ResolvedSource(SqlText.Literal(file.FullName), [file.FullName], [], Etag([file]));
    }

    private static ResolvedSource ResolveGlob(string pattern)
    {
        var wildcard = pattern.AsSpan().IndexOfAny("*?[");
        var root = pattern[..(pattern.LastIndexOf('/', wildcard) + 1)];
        if (!Directory.Exists(root)) throw new DatasetSourceException($"directory {root} does not exist");
        var relative = pattern[root.Length..];
        var files = new DirectoryInfo(root).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(f => FileSystemName.MatchesSimpleExpression(relative.Replace("**/", "*", StringComparison.Ordinal), Path.GetRelativePath(root, f.FullName)))
            .OrderBy(f => f.FullName, StringComparer.Ordinal).ToList();
        if (files.Count == 0) throw new DatasetSourceException($"no file matches {pattern}");
        return new ResolvedSource(SqlText.Literal(pattern), [], [root], Etag(files));
    }

    // A directory Pipekit publishes (a Parquet sync destination): its manifest names the exact files, so nothing is scanned
    // and the older version kept beside the current one for in-flight queries is not read twice.
    private static async Task<ResolvedSource> ResolveManifestAsync(string directory, CancellationToken cancellationToken)
    {
        ParquetManifest manifest;
        try
        {
            manifest = await ParquetLake.ReadManifestAsync(directory, cancellationToken) ?? throw new DatasetSourceException($"manifest of {directory} disappeared");
        }
        catch (DriverException ex)
        {
            throw new DatasetSourceException(ex.Message);
        }
        var files = ParquetLake.FilesOf(directory, manifest);
        if (files.Count == 0) throw new DatasetSourceException($"manifest of {directory} names no file");
        var etag = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(directory + "|" + manifest.Version)))[..16];
        return new ResolvedSource(SqlText.List(files), files, [], etag);
    }

    internal static string Extension(string format) => format == "json" ? "json" : format;

    // Sizes and modification times stand in for content: a rewrite changes one or the other.
    private static string Etag(IEnumerable<FileInfo> files)
    {
        var text = new StringBuilder();
        foreach (var f in files) text.Append(f.FullName).Append('|').Append(f.Length).Append('|').Append(f.LastWriteTimeUtc.Ticks).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16];
    }
}
