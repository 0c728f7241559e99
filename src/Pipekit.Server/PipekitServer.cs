using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Pipekit.Core.Auth;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Server.Api;
using Pipekit.Server.Auth;
using Pipekit.Server.Errors;
using Pipekit.Server.Hosting;
using Pipekit.Server.Json;
using Pipekit.Server.Logging;
using Pipekit.Server.Metrics;
using Pipekit.Server.Pages;
using Pipekit.Server.Redaction;
using Pipekit.Server.Timing;

namespace Pipekit.Server;

/// <summary>
/// The Pipekit web server: the REST API under <c>/api</c>, <c>/health</c>, <c>/metrics</c> and <c>/openapi/v1.json</c>,
/// with the run queue and the cron scheduler as hosted services. <c>pipekit serve</c>, <c>pipekit demo</c> and the
/// tests (through <c>WebApplicationFactory</c>) all build it with <see cref="CreateHostBuilder"/>.
/// </summary>
public sealed class PipekitServer
{
    private PipekitServer()
    {
    }

    /// <summary>A host with the app and its services, without a server: the caller adds Kestrel (<see cref="RunAsync"/>) or a test server.</summary>
    /// <remarks>
    /// The web host is registered before the app's services so that its hosted service starts first: the port is bound
    /// (or found taken) before the scheduler and the run queue start, and nothing has run when a taken port stops the start.
    /// </remarks>
    public static IHostBuilder CreateHostBuilder(PipekitEnvironment environment, SecretStore secrets) =>
        new HostBuilder()
            .UseContentRoot(AppContext.BaseDirectory)
            .ConfigureWebHost(web => web.Configure(UsePipekit))
            .ConfigureServices(services => services.AddPipekitServer(environment, secrets));

    /// <summary>
    /// Hosts the server on <paramref name="server"/>'s host and port (default: <c>[server]</c> of the configuration)
    /// and returns when it has stopped: when <paramref name="cancellationToken"/> is cancelled or on SIGINT/SIGTERM (a
    /// second signal exits the process at once). In-flight runs are cancelled, recorded as cancelled and unlocked
    /// before it returns. Throws <see cref="ServerStartException"/> when it must not start, e.g. a non-loopback
    /// address while no password is set.
    /// </summary>
    public static Task RunAsync(PipekitEnvironment environment, SecretStore secrets, ServerOptions? server, CancellationToken cancellationToken) =>
        RunAsync(environment, secrets, server, listening: null, cancellationToken);

    /// <summary>
    /// As <see cref="RunAsync(PipekitEnvironment, SecretStore, ServerOptions?, CancellationToken)"/>, and calls
    /// <paramref name="listening"/> with the server's URL once the port is bound and every service has started. A port
    /// that is taken is a <see cref="PortInUseException"/>, thrown before the scheduler or the run queue start.
    /// </summary>
    public static async Task RunAsync(PipekitEnvironment environment, SecretStore secrets, ServerOptions? server,
        Func<string, CancellationToken, Task>? listening, CancellationToken cancellationToken)
    {
        var options = server ?? environment.Config.Server;
        environment = environment with { Config = environment.Config with { Server = options } };
        var address = new ListenAddress(options.Host, options.Port);
        // Under systemd (Type=notify) this registers the notifier; ServeLifetime still owns signals, so READY and
        // STOPPING are sent below rather than by the systemd lifetime.
        var builder = CreateHostBuilder(environment, secrets)
            .UseSystemd()
            .ConfigureLogging(ConfigureLogging)
            .ConfigureServices(services => services.AddSingleton<IHostLifetime, ServeLifetime>())
            .ConfigureWebHost(web => web.UseKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = BodySizeLimitMiddleware.MaxBodyBytes;
                Listen(kestrel, address);
            }));
        using var host = builder.Build();
        using var serveLock = ServeLock.Hold(host.Services.GetRequiredService<StateStore>());
        await EnsureSafeBindingAsync(host.Services, address, cancellationToken);

        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Pipekit.Server");
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var signals = new ShutdownSignals(lifetime, logger);
        try
        {
            await host.StartAsync(cancellationToken);
        }
        catch (IOException ex) when (IsAddressInUse(ex))
        {
            throw new PortInUseException(address.Port);
        }
        if (listening is not null) await listening(address.Url, cancellationToken);
        logger.LogInformation("Pipekit is serving on {Url} (state {StatePath})", address.Url, host.Services.GetRequiredService<StateStore>().Location);
        var systemd = host.Services.GetService<ISystemdNotifier>();
        systemd?.Notify(ServiceState.Ready);
        using var stopping = lifetime.ApplicationStopping.Register(() => systemd?.Notify(ServiceState.Stopping));
        using (cancellationToken.Register(lifetime.StopApplication))
            await host.WaitForShutdownAsync(CancellationToken.None);
    }

    /// <summary>The middleware pipeline and the routes; the same for Kestrel and the test server.</summary>
    internal static void UsePipekit(IApplicationBuilder app)
    {
        if (app.ApplicationServices.GetRequiredService<PipekitEnvironment>().Config.Server.ServerTiming) app.UseMiddleware<ServerTimingMiddleware>();
        app.UseMiddleware<RequestScopeMiddleware>();
        app.UseMiddleware<RedactionMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMiddleware<HostNameFilterMiddleware>();
        app.UseMiddleware<BodySizeLimitMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<BasicAuthMiddleware>();
        app.UseMiddleware<JsonContentTypeMiddleware>();
        app.UseRouting();
        app.UseMiddleware<BodyShapeMiddleware>();
        app.UseRateLimiter();
        app.UseEndpoints(MapEndpoints);
    }

    internal static void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        // Every route shares the state store's concurrency limit unless it exempts itself (StateStoreConcurrency).
        var routes = endpoints.MapGroup("").RequireRateLimiting(StateStoreConcurrency.Policy);
        routes.MapSystemApi();
        routes.MapConnectionsApi();
        routes.MapModulesApi();
        routes.MapWatermarksApi();
        routes.MapHooksApi();
        routes.MapGroupsApi();
        routes.MapGroupMembersApi();
        routes.MapSchedulesApi();
        routes.MapNotificationsApi();
        routes.MapProjectApi();
        routes.MapRunsApi();
        routes.MapGroupRunsApi();
        routes.MapPipelinesApi();
        routes.MapIntrospectApi();
        routes.MapJobsApi();
        routes.MapMetricsApi();
        routes.MapDatasetsApi();
        routes.MapSqlApi();
        routes.MapOpenApi("/openapi/{documentName}.json");
        routes.MapPipekitPages();
    }

    private static bool IsAddressInUse(Exception ex)
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
            if (e is Microsoft.AspNetCore.Connections.AddressInUseException
                || e is System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.AddressAlreadyInUse })
                return true;
        return false;
    }

    /// <summary>The server refuses a non-loopback address while no password is set: the API would be open to the network.</summary>
    internal static async Task EnsureSafeBindingAsync(IServiceProvider services, ListenAddress address, CancellationToken cancellationToken)
    {
        await services.GetRequiredService<StateStore>().EnsureReadyAsync(cancellationToken);
        if (address.IsLoopback) return;
        if (!await services.GetRequiredService<Credentials>().IsConfiguredAsync(cancellationToken))
            throw new ServerStartException(
                $"refusing to listen on {address.Host}: no password set; run 'pipekit set-password USER' first (or listen on 127.0.0.1)");
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, ListenAddress address)
    {
        var host = address.Host.Trim('[', ']');
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) kestrel.ListenLocalhost(address.Port);
        else if (host is "*" or "+") kestrel.ListenAnyIP(address.Port);
        else if (IPAddress.TryParse(host, out var ip)) kestrel.Listen(ip, address.Port);
        else
        {
            var resolved = Dns.GetHostAddresses(host);
            if (resolved.Length == 0) throw new ServerStartException($"cannot resolve host '{host}'; use an IP address such as 127.0.0.1 or 0.0.0.0");
            foreach (var ip2 in resolved) kestrel.Listen(ip2, address.Port);
        }
    }

    // Structured logs: one flat JSON object per line when stdout is not a terminal (a service, a pipe), readable lines
    // otherwise; both through the redactor.
    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(LogLevel.Information);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // A start that fails (a taken port) is reported once, by the caller, as one line; Kestrel's and the host's own
        // critical entries would repeat it with a stack trace.
        logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.None);
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        // Hosting creates a trace Activity per request while this category logs at all; request_id comes from
        // RequestScopeMiddleware, so the per-request Activity would only cost time.
        logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        if (Console.IsOutputRedirected)
            logging.AddConsole(o => o.FormatterName = JsonLineFormatter.Name).AddConsoleFormatter<JsonLineFormatter, ConsoleFormatterOptions>();
        else
            logging.AddSimpleConsole(o =>
            {
                o.IncludeScopes = true;
                o.SingleLine = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "HH:mm:ss ";
                o.ColorBehavior = LoggerColorBehavior.Default;
            });
        // Last: every provider added above writes through the redactor.
        logging.AddRedaction();
    }
}
