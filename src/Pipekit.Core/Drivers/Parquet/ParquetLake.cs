using System.Text.Json;
using System.Text.RegularExpressions;

namespace Pipekit.Core.Drivers.Parquet;

/// <summary>
/// The layout of a Parquet lake (<c>parquet:///dir</c>): one directory per dataset, holding version directories
/// (<c>v…/part-0.parquet</c>) and the manifest naming the current files. The manifest is written to a temporary file
/// and renamed over the old one, the one atomic step of a publication.
/// </summary>
public static partial class ParquetLake
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]{0,62}\z")]
    private static partial Regex NamePattern();

    /// <summary>The lake directory of <c>parquet:///abs/dir</c>.</summary>
    public static string Root(ResolvedConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var url = connection.Url.Trim();
        if (!url.StartsWith("parquet://", StringComparison.OrdinalIgnoreCase))
            throw ConnectionErrors.BadConnectionString(connection, $"expected parquet:///absolute/directory, got '{url}'");
        var path = Uri.UnescapeDataString(url["parquet://".Length..]);
        if (!Path.IsPathFullyQualified(path))
            throw ConnectionErrors.BadConnectionString(connection, $"'{url}' does not name an absolute directory; use parquet:///absolute/directory");
        if (path.Contains('\'', StringComparison.Ordinal) || path.Contains('\0', StringComparison.Ordinal))
            throw ConnectionErrors.BadConnectionString(connection, "the lake directory must not contain quotes or NUL characters");
        return Path.TrimEndingDirectorySeparator(path);
    }

    /// <summary>Whether <paramref name="name"/> can be a dataset (a directory and a view name).</summary>
    public static bool IsDatasetName(string name) => NamePattern().IsMatch(name);

    /// <summary>The dataset a destination table names: a plain name, or one in schema <c>main</c>.</summary>
    public static string DatasetName(TableName table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Schema is { } schema && !string.Equals(schema, "main", StringComparison.OrdinalIgnoreCase))
            throw new DriverException($"a parquet connection holds datasets, not schemas: name the destination table '{table.Table}' without the schema '{schema}'");
        if (!IsDatasetName(table.Table))
            throw new DriverException($"'{table.Table}' cannot be a dataset name: use a letter or _ then letters, digits or _ (at most 63)");
        return table.Table;
    }

    /// <summary>The current manifest of a dataset directory, or null when none was published yet.</summary>
    public static async Task<ParquetManifest?> ReadManifestAsync(string datasetDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(datasetDirectory, ParquetManifest.FileName);
        if (!File.Exists(path)) return null;
        await using var stream = File.OpenRead(path);
        try
        {
            return await JsonSerializer.DeserializeAsync<ParquetManifest>(stream, Json, cancellationToken)
                ?? throw new DriverException($"manifest {path} is empty");
        }
        catch (JsonException ex)
        {
            throw new DriverException($"manifest {path} is not valid JSON ({ex.Message}); restore it or delete the dataset directory");
        }
    }

    /// <summary>The absolute paths of the manifest's files.</summary>
    public static IReadOnlyList<string> FilesOf(string datasetDirectory, ParquetManifest manifest) =>
        manifest.Files.Select(f => Path.GetFullPath(Path.Combine(datasetDirectory, f.Path))).ToList();

    /// <summary>Replaces the manifest atomically: a temporary file in the same directory, flushed, then renamed over it.</summary>
    public static async Task WriteManifestAsync(string datasetDirectory, ParquetManifest manifest, CancellationToken cancellationToken)
    {
        var target = Path.Combine(datasetDirectory, ParquetManifest.FileName);
        var temp = Path.Combine(datasetDirectory, $".{ParquetManifest.FileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                await JsonSerializer.SerializeAsync(stream, manifest, Json, cancellationToken);
                await stream.FlushAsync(cancellationToken);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>
    /// Holds the dataset's writer lock (an exclusive open of <c>.lock</c>) until disposed. The operating system drops it
    /// when the process dies, so a crashed writer never leaves the dataset locked.
    /// </summary>
    public static async Task<IAsyncDisposable> LockAsync(string datasetDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(datasetDirectory, ".lock");
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(50, cancellationToken);
            }
        }
    }

    internal static string Literal(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";
}
