using System.Globalization;
using System.Text.Json;

namespace Pipekit.Query.Catalog;

/// <summary>
/// Reads manifests from a catalogd-compatible service (<c>[query].catalog_url</c>): <c>GET /catalog/list</c> returns
/// <c>[{"name", "key" or "uri", "updated_at"}]</c> (a bare array, or an object with a <c>manifests</c> array).
/// </summary>
public sealed class ExternalCatalog(HttpClient http, string baseUrl, string? bucket)
{
    public async Task<IReadOnlyList<CatalogManifest>> ListAsync(CancellationToken cancellationToken)
    {
        var url = baseUrl.TrimEnd('/') + "/catalog/list";
        using var response = await http.GetAsync(url, cancellationToken);
        if (!response.IsSuccessStatusCode)
            throw new DatasetSourceException($"catalog {url} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
        var root = document.RootElement;
        var items = root.ValueKind == JsonValueKind.Array ? root
            : root.ValueKind == JsonValueKind.Object && root.TryGetProperty("manifests", out var m) && m.ValueKind == JsonValueKind.Array ? m
            : throw new DatasetSourceException($"catalog {url} did not return a list of manifests");
        var manifests = new List<CatalogManifest>();
        foreach (var item in items.EnumerateArray())
        {
            var name = Text(item, "name") ?? throw new DatasetSourceException($"catalog {url}: a manifest has no name");
            var uri = Text(item, "uri") ?? (Text(item, "key") is { } key
                ? bucket is { } b ? $"s3://{b}/{key.TrimStart('/')}" : throw new DatasetSourceException($"catalog manifest '{name}' names a key but [s3].bucket is not set")
                : throw new DatasetSourceException($"catalog manifest '{name}' has neither key nor uri"));
            var updated = Text(item, "updated_at") is { } u && DateTimeOffset.TryParse(u, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? at : DateTimeOffset.UnixEpoch;
            manifests.Add(new CatalogManifest(name, uri, Text(item, "format"), updated));
        }
        return manifests;
    }

    private static string? Text(JsonElement item, string property) =>
        item.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
