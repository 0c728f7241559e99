using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core.Auth;
using Pipekit.Core.Configuration;

namespace Pipekit.Server.Auth;

/// <summary>
/// The pages' login session: an HttpOnly, <c>SameSite=Strict</c> cookie holding a data-protected ticket (no server
/// state, so any node with the same key ring accepts it), valid for <see cref="IdleTimeout"/> after the last request.
/// The ticket carries a stamp of the stored password hash: a new password (<c>pipekit set-password</c> or the
/// settings page) ends every session at once.
/// </summary>
internal static class PageSession
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "pipekit_session";
    public const string StampClaim = "pipekit:password_stamp";
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromHours(8);

    public static IServiceCollection AddPageSessions(this IServiceCollection services, PipekitEnvironment environment)
    {
        // Keys live in the data directory so a restart keeps everyone logged in; they are never written elsewhere.
        services.AddDataProtection()
            .SetApplicationName("pipekit")
            .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(environment.Home.Root, "keys")));
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = CookieName;
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = IdleTimeout;
            o.SlidingExpiration = true;
            o.LoginPath = "/login";
            o.Events.OnValidatePrincipal = ValidateStampAsync;
            // The middleware decides what an unauthenticated request gets; the handler never redirects on its own.
            o.Events.OnRedirectToLogin = _ => Task.CompletedTask;
            o.Events.OnRedirectToAccessDenied = _ => Task.CompletedTask;
        });
        return services;
    }

    /// <summary>A short, one-way stamp of the stored hash: equal stamps mean the password has not changed since login.</summary>
    public static string Stamp(string? storedHash) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes("pipekit-session:" + (storedHash ?? ""))))[..16];

    public static ClaimsPrincipal Principal(string user, string? storedHash) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user), new Claim(StampClaim, Stamp(storedHash))], Scheme));

    private static async Task ValidateStampAsync(CookieValidatePrincipalContext context)
    {
        var credentials = context.HttpContext.RequestServices.GetRequiredService<CredentialCheck>();
        var stored = await credentials.StoredHashAsync(context.HttpContext.RequestAborted);
        if (context.Principal?.FindFirstValue(StampClaim) != Stamp(stored))
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(Scheme);
        }
    }
}
