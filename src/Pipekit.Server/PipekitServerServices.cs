using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Pipekit.Chains;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Secrets;
using Pipekit.Server.Api;
using Pipekit.Server.Auth;
using Pipekit.Server.Errors;
using Pipekit.Server.Hosting;
using Pipekit.Server.Json;
using Pipekit.Server.Metrics;
using Pipekit.Pipelines;
using Pipekit.Query;
using Pipekit.Server.Pages;
using Pipekit.Sync;
using Pipekit.Sync.Runs;

namespace Pipekit.Server;

/// <summary>Registers everything <c>pipekit serve</c> runs on: Core, Sync, Chains, the run queue, the scheduler, auth, JSON, problems, metrics.</summary>
public static class PipekitServerServices
{
    public static IServiceCollection AddPipekitServer(this IServiceCollection services, PipekitEnvironment environment, SecretStore secrets)
    {
        services.AddPipekitCore(environment, secrets).AddPipekitSync().AddPipekitPipelines().AddPipekitQuery().AddPipekitChains();
        // {id:long} is digits only: the framework's long constraint takes "1 " and "+1" for 1.
        services.AddRouting(o => o.SetParameterPolicy<RouteIdConstraint>("long"));
        services.AddStateStoreConcurrency();
        services.AddMetrics();
        services.AddProblemDetails();
        services.AddExceptionHandler<ProblemExceptionHandler>();
        services.AddOpenApi("v1");
        services.AddHttpContextAccessor();
        services.AddOptions<JsonOptions>().Configure<Core.Secrets.Redactor, IHttpContextAccessor>((options, redactor, http) =>
            ApiJson.Configure(options.SerializerOptions, redactor, http));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);

        services.AddPipekitPages(environment);

        services.AddSingleton<Scheduler>();
        services.AddSingleton<CredentialCheck>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<PrometheusExporter>();
        services.AddHostedService<SecretsWatchService>();
        services.AddHostedService<MetricsStartupService>();
        services.AddHostedService<RunQueueService>();
        services.AddHostedService<StaleLockSweepService>();
        services.AddHostedService<SchedulerService>();
        services.AddHostedService<PipelineScheduleService>();
        services.AddHostedService<DatasetRefreshService>();
        services.AddHostedService<ChainsService>();
        services.AddHostedService<LateWatchService>();
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        return services;
    }
}
