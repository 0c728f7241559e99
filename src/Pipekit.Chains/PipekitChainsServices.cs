using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipekit.Chains.Engines;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Layers;
using Pipekit.Core.Configuration;

namespace Pipekit.Chains;

/// <summary>Registers Chains: engines, the layer cache, the instance limit, the runner and the metrics.</summary>
public static class PipekitChainsServices
{
    public static IServiceCollection AddPipekitChains(this IServiceCollection services)
    {
        services.AddSingleton<ChainEngines>();
        services.AddSingleton(sp => new ChainMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new LayerCache(sp.GetRequiredService<ILayerCatalog>(), sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<LayerCache>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<LayerCache>.Instance));
        services.AddSingleton(sp => new InstanceLimiter(sp.GetRequiredService<PipekitConfig>()));
        services.AddSingleton(sp => new ChainRunner(sp.GetRequiredService<ChainEngines>(), sp.GetRequiredService<LayerCache>(),
            sp.GetRequiredService<InstanceLimiter>(), sp.GetRequiredService<PipekitConfig>(), sp.GetRequiredService<ChainMetrics>(),
            sp.GetService<ILogger<ChainRunner>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<ChainRunner>.Instance));
        return services;
    }
}
