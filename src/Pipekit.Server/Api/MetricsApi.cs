using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Pipekit.Server.Metrics;

namespace Pipekit.Server.Api;

/// <summary><c>/metrics</c>: Prometheus text; behind auth unless <c>[server].metrics_public</c>.</summary>
internal static class MetricsApi
{
    public static RouteGroupBuilder MapMetricsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/metrics").WithTags("metrics").ExcludeFromDescription();
        group.MapGet("/", Scrape);
        return group;
    }

    internal static ContentHttpResult Scrape(PrometheusExporter exporter) =>
        TypedResults.Text(exporter.Render(), "text/plain; version=0.0.4; charset=utf-8");
}
