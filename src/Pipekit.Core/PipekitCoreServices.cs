using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipekit.Core.Auth;
using Pipekit.Core.Connections;
using Pipekit.Core.Configuration;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Drivers;
using Pipekit.Core.Notifications;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Core.Transfer;

namespace Pipekit.Core;

/// <summary>Registers the foundation every part stands on; each part adds its own <c>AddPipekitXxx</c>.</summary>
public static class PipekitCoreServices
{
    /// <summary>
    /// Registers configuration, secrets (reread when the file changes), the redactor, the state store and
    /// repositories, drivers and the core doctor checks.
    /// </summary>
    public static IServiceCollection AddPipekitCore(this IServiceCollection services, PipekitEnvironment environment, SecretStore secrets)
    {
        services.AddSingleton(environment);
        services.AddSingleton(environment.Config);
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(secrets);
        services.AddSingleton(Redactor.FromStore(secrets));
        services.AddStatePart(StatePart.Core);
        services.AddSingleton(sp => Migrator.ForParts(sp.GetServices<StatePart>(), environment.StateKind, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => StateStore.For(environment, secrets, sp.GetRequiredService<Redactor>(), sp.GetRequiredService<Migrator>()));
        services.AddSingleton<StateBackup>();
        services.AddSingleton<SettingsRepository>();
        services.AddSingleton<Credentials>();
        services.AddSingleton(_ => DriverRegistry.CreateDefault());
        services.AddSingleton<ConnectionTester>();
        services.AddSingleton<TransferEngine>();
        services.AddSingleton<ConnectionRepository>();
        services.AddSingleton<ConnectionValidator>();
        services.AddSingleton<ConnectionEditor>();
        services.AddSingleton<ConnectionResolver>();
        services.AddSingleton<ConnectionChecker>();
        services.AddSingleton<ConnectionFactory>();
        services.AddSingleton<ScheduleRepository>();
        services.AddSingleton<ScheduleChanges>();
        services.AddSingleton<ScheduleEditor>();
        services.AddSingleton<ScheduleTargets>();
        services.AddSingleton(sp => new WebhookSender(() => new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }),
            sp.GetRequiredService<TimeProvider>(), Logger<WebhookSender>(sp)));
        services.AddSingleton(sp => new NotificationDelivery(sp.GetRequiredService<WebhookSender>(), sp.GetRequiredService<SecretStore>(),
            sp.GetRequiredService<Redactor>(), sp.GetRequiredService<TimeProvider>(), Logger<NotificationDelivery>(sp)));
        services.AddSingleton<NotificationRepository>();
        services.AddSingleton<NotificationSettings>();
        services.AddSingleton<NotificationEditor>();
        services.AddSingleton(sp => new Notifier(sp.GetRequiredService<NotificationRepository>(), sp.GetRequiredService<NotificationSettings>(),
            sp.GetRequiredService<NotificationDelivery>(), sp.GetRequiredService<Redactor>(), Logger<Notifier>(sp)));
        services.AddSingleton(sp => new LateWatch(sp.GetRequiredService<ScheduleRepository>(), sp.GetRequiredService<ScheduleTargets>(),
            sp.GetRequiredService<NotificationRepository>(), sp.GetRequiredService<NotificationSettings>(), sp.GetRequiredService<Notifier>(),
            sp.GetRequiredService<TimeProvider>(), Logger<LateWatch>(sp)));
        services.AddSingleton<Doctor>();
        services.AddSingleton<IDoctorCheck, ConfigCheck>();
        services.AddSingleton<IDoctorCheck, DataDirectoryCheck>();
        services.AddSingleton<IDoctorCheck, StateSchemaCheck>();
        services.AddSingleton<IDoctorCheck, SecretsFileCheck>();
        services.AddSingleton<IDoctorCheck, ConnectionsCheck>();
        return services;
    }

    // Logging is optional: a container without AddLogging (the CLI's short commands) gets null loggers.
    private static ILogger<T> Logger<T>(IServiceProvider sp) =>
        sp.GetService<ILogger<T>>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger<T>.Instance;
}
