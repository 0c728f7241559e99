using Pipekit.Core.State;

namespace Pipekit.Pipelines.State;

/// <summary>Pipelines' tables in the state store: pipeline, pipeline_run, task_run, secret_access.</summary>
public static class PipelinesSchema
{
    public static StatePart Part { get; } = new("pipelines", typeof(PipelinesSchema).Assembly, "Pipekit.Pipelines.Migrations.");
}
