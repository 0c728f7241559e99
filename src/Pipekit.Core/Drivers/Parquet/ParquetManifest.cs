using System.Text.Json.Serialization;

namespace Pipekit.Core.Drivers.Parquet;

/// <summary>
/// <c>_pipekit_manifest.json</c> in a dataset directory: the exact files of the current version (relative paths), their
/// row counts and per-file min/max of the stat columns. Readers open these files and never scan the directory; the
/// file is replaced by a rename, so a reader sees the old set or the new one.
/// </summary>
public sealed record ParquetManifest
{
    public const string FileName = "_pipekit_manifest.json";

    [JsonPropertyName("format")] public string Format { get; init; } = "parquet";
    [JsonPropertyName("version")] public required string Version { get; init; }
    [JsonPropertyName("written_at")] public DateTimeOffset WrittenAt { get; init; }
    [JsonPropertyName("rows")] public long Rows => Files.Sum(f => f.Rows);
    [JsonPropertyName("files")] public required IReadOnlyList<ParquetManifestFile> Files { get; init; }
}
