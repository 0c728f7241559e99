using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Chains.Collection;
using Pipekit.Chains.Diagnostics;
using Pipekit.Chains.Engines;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Layers;
using Pipekit.Chains.Nodes;
using Pipekit.Chains.Planning;
using Pipekit.Chains.State;
using Pipekit.Chains.Webhooks;
using Pipekit.Core.Configuration;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;

namespace Pipekit.Chains;

/// <summary>Registers Chains: engines, the layer cache and its table, jobs, GC, webhooks, metrics and the doctor check.</summary>
public static class PipekitChainsServices
{
    public static IServiceCollection AddPipekitChains(this IServiceCollection services)
    {
        services.AddStatePart(ChainsSchema.Part);
        services.AddSingleton<ChainEngines>();
        services.AddSingleton(sp => new ChainMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new LayerRepository(sp.GetRequiredService<StateStore>()));
        services.AddSingleton<ILayerCatalog>(sp => sp.GetRequiredService<LayerRepository>());
        services.AddSingleton(sp => new ChainJobRepository(sp.GetRequiredService<StateStore>()));
        services.AddSingleton(sp => new LayerCache(sp.GetRequiredService<ILayerCatalog>(), sp.GetRequiredService<TimeProvider>(), Logger<LayerCache>(sp)));
        services.AddSingleton(_ => new ChainNode());
        services.AddSingleton(sp => new InstanceLimiter(sp.GetRequiredService<StateStore>(), sp.GetRequiredService<ChainNode>(),
            sp.GetRequiredService<PipekitConfig>(), sp.GetRequiredService<TimeProvider>(), Logger<InstanceLimiter>(sp)));
        services.AddSingleton(sp => new ChainRunner(sp.GetRequiredService<ChainEngines>(), sp.GetRequiredService<LayerCache>(),
            sp.GetRequiredService<InstanceLimiter>(), sp.GetRequiredService<PipekitConfig>(), sp.GetRequiredService<ChainMetrics>(), Logger<ChainRunner>(sp)));
        services.AddSingleton(sp => new WebhookSender(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            sp.GetRequiredService<TimeProvider>(), Logger<WebhookSender>(sp)));
        services.AddSingleton(sp => new ChainJobService(sp.GetRequiredService<ChainJobRepository>(), sp.GetRequiredService<ChainRunner>(),
            sp.GetRequiredService<ChainEngines>(), sp.GetRequiredService<PipekitConfig>(), sp.GetRequiredService<SecretStore>(),
            sp.GetRequiredService<WebhookSender>(), sp.GetRequiredService<ChainMetrics>(), sp.GetRequiredService<Redactor>(),
            sp.GetRequiredService<TimeProvider>(), Logger<ChainJobService>(sp), sp.GetRequiredService<ChainNode>()));
        services.AddSingleton(sp => new LayerCollector(sp.GetRequiredService<ILayerCatalog>(), sp.GetRequiredService<ChainJobRepository>(),
            sp.GetRequiredService<LayerCache>(), sp.GetRequiredService<ChainEngines>(), sp.GetRequiredService<PipekitConfig>(),
            sp.GetRequiredService<ChainMetrics>(), sp.GetRequiredService<TimeProvider>(), Logger<LayerCollector>(sp), sp.GetRequiredService<ChainNode>()));
        services.AddSingleton(sp => new ChainPlanner(sp.GetRequiredService<ChainEngines>(), sp.GetRequiredService<LayerCache>()));
        services.AddSingleton<IDoctorCheck>(sp => new ChainsServerCheck(sp.GetRequiredService<PipekitConfig>(), sp.GetRequiredService<ChainEngines>()));
        return services;
    }

    private static ILogger<T> Logger<T>(IServiceProvider services) => services.GetService<ILogger<T>>() ?? NullLogger<T>.Instance;
}
