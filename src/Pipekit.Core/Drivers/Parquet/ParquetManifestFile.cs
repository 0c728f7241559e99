using System.Text.Json.Serialization;

namespace Pipekit.Core.Drivers.Parquet;

/// <summary>One file of a manifest: its path relative to the dataset directory, its rows, and min/max per stat column (as text).</summary>
public sealed record ParquetManifestFile
{
    [JsonPropertyName("path")] public required string Path { get; init; }
    [JsonPropertyName("rows")] public long Rows { get; init; }
    [JsonPropertyName("min")] public IReadOnlyDictionary<string, string?> Min { get; init; } = new Dictionary<string, string?>();
    [JsonPropertyName("max")] public IReadOnlyDictionary<string, string?> Max { get; init; } = new Dictionary<string, string?>();
}
