using Microsoft.Extensions.DependencyInjection;

namespace Pipekit.Core.State;

/// <summary>Registration of the parts that own tables in the state store.</summary>
public static class StateParts
{
    /// <summary>Adds a part's migrations to the state store's; <c>pipekit init</c> and every command apply them.</summary>
    public static IServiceCollection AddStatePart(this IServiceCollection services, StatePart part)
    {
        ArgumentNullException.ThrowIfNull(part);
        return services.AddSingleton(part);
    }
}
