using Pipekit.Core.Scheduling;
using Pipekit.Pipelines.Runs;
using Pipekit.Pipelines.State;

namespace Pipekit.Pipelines.Scheduling;

/// <summary>Schedules of kind <c>pipeline</c>: a fire starts a run through the same service as a manual run, honouring <c>overlap</c> and <c>requires</c>.</summary>
internal sealed class PipelineScheduleTarget(PipelineRepository pipelines, PipelineRunService runs) : IScheduleTarget
{
    public string Kind => "pipeline";

    public async Task<string?> FindNameAsync(long targetId, CancellationToken cancellationToken) =>
        (await pipelines.GetAsync(targetId, cancellationToken))?.Name;

    public Task<long> StartScheduledRunAsync(long targetId, string triggeredBy, CancellationToken cancellationToken) =>
        runs.StartScheduledAsync(targetId, triggeredBy, cancellationToken);
}
