using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.State;

namespace Pipekit.Pipelines.Runs;

// [dag].requires (Pit parses it and ignores it): a run may start only when each required DAG's latest run succeeded and
// finished after this DAG's previous run started, so a DAG consumes each new upstream result once.
internal static class RequirementCheck
{
    /// <summary>Null when every requirement is met, else the reason naming the first unmet one.</summary>
    public static async Task<string?> UnmetAsync(PitProject project, PipelineRunRepository runs, CancellationToken cancellationToken)
    {
        if (project.Requires.Count == 0) return null;
        var previous = await runs.LatestStartedAsync(project.Name, cancellationToken);
        foreach (var required in project.Requires)
        {
            var latest = await runs.LatestFinishedAsync(required, cancellationToken);
            if (latest is null)
                return $"requires '{required}', which has not run yet";
            if (latest.Status != PipelineRunStatus.Success)
                return $"requires '{required}', whose latest run {latest.Id} ended {latest.Status.ToText()}";
            if (previous?.StartedAt is { } since && latest.FinishedAt <= since)
                return $"requires '{required}', whose latest success (run {latest.Id}) finished before this DAG's previous run {previous.Id} started";
        }
        return null;
    }
}
