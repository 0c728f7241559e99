using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Pipekit.Core.Secrets;

/// <summary>Makes every logger provider registered so far write through the <see cref="Redactor"/>.</summary>
public static class LoggingRedaction
{
    /// <summary>Call after the providers are added (console, JSON console, …).</summary>
    public static ILoggingBuilder AddRedaction(this ILoggingBuilder builder)
    {
        var providers = builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider)).ToList();
        foreach (var descriptor in providers)
        {
            builder.Services.Remove(descriptor);
            builder.Services.AddSingleton<ILoggerProvider>(sp =>
                new RedactingLoggerProvider((ILoggerProvider)Create(sp, descriptor), sp.GetRequiredService<Redactor>()));
        }
        return builder;
    }

    private static object Create(IServiceProvider sp, ServiceDescriptor d) =>
        d.ImplementationInstance ?? d.ImplementationFactory?.Invoke(sp) ?? ActivatorUtilities.CreateInstance(sp, d.ImplementationType!);
}
