using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Pipekit.Server.Api;

/// <summary>
/// How many API requests work on the state store at once. The SQLite provider reads synchronously, so every request
/// in flight holds a thread; fifty concurrent requests on two cores would otherwise time-slice fifty threads and
/// contend for the connection pool, and each would take as long as all of them. Beyond the limit a request waits,
/// without a thread, in arrival order. Routes that wait on another database (connection tests, introspection,
/// previews, the doctor) or stay open (run streams) are exempt: a slow server elsewhere must not hold up the API.
/// </summary>
internal static class StateStoreConcurrency
{
    public const string Policy = "state-store";

    /// <summary>Requests that may work at once: two per core, so one can compute while the other writes its response.</summary>
    public static int Permits => Math.Max(2, Environment.ProcessorCount * 2);

    public static IServiceCollection AddStateStoreConcurrency(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status503ServiceUnavailable;
            o.AddConcurrencyLimiter(Policy, limiter =>
            {
                limiter.PermitLimit = Permits;
                limiter.QueueLimit = 10_000;
                limiter.QueueProcessingOrder = QueueProcessingOrder.OldestFirst;
            });
        });

    /// <summary>Exempts a route that waits on something other than the state store.</summary>
    public static TBuilder Unlimited<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.DisableRateLimiting();
}
