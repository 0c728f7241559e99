using System.Text.Json;
using Pipekit.Query.Catalog;

namespace Pipekit.Server.Api.Contracts;

/// <summary>
/// A dataset as the API shows it, with the outcome of its last refresh. <c>source</c> is api, catalog or sync; a sync
/// dataset's <c>module</c> names the Sync module whose runs write and register it.
/// </summary>
internal sealed record DatasetDto(long Id, string Name, string Uri, string Format, IReadOnlyDictionary<string, object> Options, string Source,
    string? Module, string Status, string? LastError, string? Etag, DateTimeOffset? RefreshedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static DatasetDto From(Dataset d) =>
        new(d.Id, d.Name, d.Uri, d.Format, d.Options, d.Source, d.Module, d.Status, d.LastError, d.Etag, d.RefreshedAt, d.CreatedAt, d.UpdatedAt);
}

/// <summary>Body of <c>POST /api/datasets</c>. <c>format</c> may be left out when the uri's extension tells it.</summary>
internal sealed record DatasetInputDto(string? Name, string? Uri, string? Format, JsonElement? Options)
{
    public DatasetInput ToInput() => new(Name, Uri, Format, Options);
}

/// <summary>What <c>POST /api/datasets/refresh</c> did.</summary>
internal sealed record RefreshDto(int Created, int Updated, int Dropped, int Skipped, int Failed, IReadOnlyDictionary<string, string> Errors,
    string? CatalogError, bool Published)
{
    public static RefreshDto From(RefreshReport r) => new(r.Created, r.Updated, r.Dropped, r.Skipped, r.Failed, r.Errors, r.CatalogError, r.Published);
}
