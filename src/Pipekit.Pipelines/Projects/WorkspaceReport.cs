namespace Pipekit.Pipelines.Projects;

/// <summary>The projects of a workspace and everything wrong with them.</summary>
public sealed record WorkspaceReport(string Root, IReadOnlyList<PitProject> Projects, IReadOnlyList<ProjectProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;

    public IReadOnlyList<ProjectProblem> ProblemsOf(string dag) => Problems.Where(p => p.Project == dag).ToList();
}
