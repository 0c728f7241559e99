using Pipekit.Chains.Jobs;
using Pipekit.Chains.Planning;
using Pipekit.Chains.Projects;

namespace Pipekit.Server.Pages.Chains;

/// <summary>
/// A job's steps with hit or miss. The job records whether its tail was a hit and, on a miss, the first step that
/// missed: the tail is the longest cached prefix followed by replayed steps, so every step before that one was a
/// hit and every tail step from it on was replayed.
/// </summary>
internal static class JobSteps
{
    /// <summary>The steps up to the head; empty with a reason when the job's tree has no plan (a deferred job still assembling).</summary>
    public static (IReadOnlyList<JobStep> Steps, string? Problem) Of(ChainJob job, ProjectTree files)
    {
        ChainPlan plan;
        try
        {
            plan = ChainOrder.Plan(files, job.HeadPath);
        }
        catch (ChainInputException e)
        {
            return ([], e.Message);
        }
        var firstMiss = job.CacheHit == false && job.Miss is { } miss
            ? plan.Tail.FirstOrDefault(s => s.Path == miss.StepPath)?.Index
            : null;
        var steps = plan.Steps.Take(plan.Head.Index + 1).Select(s => new JobStep(s.Index + 1, s.Path,
            s.Index == plan.Head.Index ? "head"
            : job.CacheHit is null ? "unknown"
            : job.CacheHit == true ? "hit"
            : firstMiss is { } m ? (s.Index < m ? "hit" : "miss")
            : "miss",
            s.Index == firstMiss)).ToList();
        return (steps, null);
    }
}
