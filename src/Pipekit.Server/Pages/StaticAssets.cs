using System.Collections.Frozen;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Pipekit.Server.Pages;

/// <summary>
/// <c>/static/{name}</c>: the stylesheet, the page script and the vendored htmx, embedded in the server assembly so
/// the binary serves them with nothing on disk to go missing. Each has a strong ETag; the layout links them with
/// <c>?v={etag}</c>, so browsers may cache them for a year.
/// </summary>
internal sealed class StaticAssets
{
    private readonly FrozenDictionary<string, Asset> _assets;

    public StaticAssets()
    {
        var assembly = typeof(StaticAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith("wwwroot/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var buffer = new MemoryStream();
            stream.CopyTo(buffer);
            var bytes = buffer.ToArray();
            var name = resource["wwwroot/".Length..];
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name] = new Asset(bytes, type, Convert.ToHexString(SHA256.HashData(bytes))[..16].ToLowerInvariant());
        }
        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>The cache-busting URL of an asset.</summary>
    public string Url(string name) => _assets.TryGetValue(name, out var a) ? $"/static/{name}?v={a.ETag}" : $"/static/{name}";

    public IResult Serve(string name, HttpContext context)
    {
        if (!_assets.TryGetValue(name, out var asset)) return Results.NotFound();
        var etag = "\"" + asset.ETag + "\"";
        context.Response.Headers.ETag = etag;
        context.Response.Headers.CacheControl = context.Request.Query.ContainsKey("v") ? "public, max-age=31536000, immutable" : "no-cache";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        if (context.Request.Headers.IfNoneMatch.ToString() == etag) return Results.StatusCode(StatusCodes.Status304NotModified);
        return Results.Bytes(asset.Bytes, asset.ContentType);
    }

    private sealed record Asset(byte[] Bytes, string ContentType, string ETag);
}
