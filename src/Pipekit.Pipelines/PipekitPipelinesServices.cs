using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core.Configuration;
using Pipekit.Core.Scheduling;
using Pipekit.Core.State;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.Scheduling;
using Pipekit.Pipelines.Sdk;
using Pipekit.Pipelines.State;

namespace Pipekit.Pipelines;

/// <summary>Registers the Pipelines part on top of <c>AddPipekitCore</c>.</summary>
public static class PipekitPipelinesServices
{
    /// <param name="workspaceRoot">The workspace (<c>--project-dir</c>); null for <c>[pipelines].workspace</c>, else <c>$PIPEKIT_HOME/workspace</c>.</param>
    public static IServiceCollection AddPipekitPipelines(this IServiceCollection services, string? workspaceRoot = null)
    {
        services.AddStatePart(PipelinesSchema.Part);
        services.AddSingleton(sp => new Workspace(workspaceRoot ?? sp.GetRequiredService<PipekitEnvironment>().PipelinesWorkspace));
        services.AddSingleton<PipelineRepository>();
        services.AddSingleton<PipelineRunRepository>();
        services.AddSingleton<SecretAuditRepository>();
        services.AddSingleton<ISecretAudit>(sp => sp.GetRequiredService<SecretAuditRepository>());
        services.AddSingleton<DagExecutor>();
        services.AddSingleton<PipelineRunService>();
        services.AddSingleton<PipelineScheduleSync>();
        services.AddSingleton<IScheduleTarget, PipelineScheduleTarget>();
        return services;
    }
}
