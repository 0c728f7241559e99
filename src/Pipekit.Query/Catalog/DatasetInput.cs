using System.Text.Json;

namespace Pipekit.Query.Catalog;

/// <summary>What a person gives to register a dataset (<c>POST /api/datasets</c>, <c>pipekit datasets add</c>).</summary>
public sealed record DatasetInput(string? Name, string? Uri, string? Format, JsonElement? Options);
