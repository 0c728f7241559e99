using System.Text.Json.Serialization;

namespace Pipekit.Sync.Modules;

/// <summary>
/// One entry of a module's <c>columns_json</c> (seed 004 "Module Columns"): where a destination column comes
/// from and its type. The source query's SELECT list produces the columns in this order.
/// </summary>
public sealed record ModuleColumn(
    [property: JsonPropertyName("source_name")] string SourceName,
    [property: JsonPropertyName("source_type")] string? SourceType,
    [property: JsonPropertyName("dest_name")] string DestName,
    [property: JsonPropertyName("dest_type")] string? DestType);
