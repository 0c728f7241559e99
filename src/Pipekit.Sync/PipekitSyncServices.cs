using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core.Scheduling;
using Pipekit.Core.State;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Hooks;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.State;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync;

/// <summary>Registers the Sync part on top of <c>AddPipekitCore</c>.</summary>
public static class PipekitSyncServices
{
    public static IServiceCollection AddPipekitSync(this IServiceCollection services)
    {
        services.AddStatePart(SyncSchema.Part);
        services.AddSingleton<ModuleRepository>();
        services.AddSingleton<GroupRepository>();
        services.AddSingleton<GroupRunRepository>();
        services.AddSingleton<RunLogRepository>();
        services.AddSingleton<LatestRuns>();
        services.AddSingleton<ModuleLocks>();
        services.AddSingleton<StaleLockSweeper>();
        services.AddSingleton<WatermarkResolver>();
        services.AddSingleton<HookRunner>();
        services.AddSingleton<ModuleRunner>();
        services.AddSingleton<GroupRunner>();
        services.AddSingleton<Files.SyncFileApplier>();
        services.AddSingleton<Files.ProjectExporter>();
        services.AddSingleton<Copy.ModuleCopier>();
        services.AddSingleton<ModuleEditor>();
        services.AddSingleton<WatermarkEditor>();
        services.AddSingleton<HookEditor>();
        services.AddSingleton<GroupEditor>();
        services.AddSingleton<ModulePreviewer>();
        services.AddSingleton<Verification.ModuleVerifier>();
        services.AddSingleton<DestinationCheck>();
        services.AddSingleton<Wizard.ModuleWizard>();
        services.AddSingleton<CancelRequests>();
        services.AddSingleton<RunCoordinator>();
        services.AddSingleton<GroupRerun>();
        services.AddSingleton<IScheduleTarget, GroupScheduleTarget>();
        return services;
    }
}
