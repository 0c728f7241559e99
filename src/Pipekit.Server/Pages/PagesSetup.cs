using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core.Configuration;
using Pipekit.Server.Auth;

namespace Pipekit.Server.Pages;

/// <summary>Registers the Razor Pages, the login session, antiforgery and the static assets.</summary>
internal static class PagesSetup
{
    public static IServiceCollection AddPipekitPages(this IServiceCollection services, PipekitEnvironment environment)
    {
        services.AddPageSessions(environment);
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "pipekit_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.HttpOnly = true;
            o.HeaderName = "X-CSRF-Token";
        });
        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/Pages";
                o.Conventions.AddPageRoute("/Connections/Edit", "/connections/new");
                o.Conventions.AddPageRoute("/Groups/Edit", "/groups/new");
            })
            .AddApplicationPart(typeof(PagesSetup).Assembly);
        services.AddSingleton<StaticAssets>();
        return services;
    }

    public static void MapPipekitPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/static/{name}", (string name, HttpContext context, StaticAssets assets) => assets.Serve(name, context))
            .ExcludeFromDescription();
        routes.MapRazorPages();
    }
}
