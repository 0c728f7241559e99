namespace Pipekit.Pipelines.Projects;

/// <summary>One thing wrong with a project, located by file and line, naming the DAG, the task and the fix.</summary>
public sealed record ProjectProblem(string File, int Line, string Project, string? Task, string Message)
{
    public override string ToString() =>
        Task is null ? $"{File}:{Line}: {Project}: {Message}" : $"{File}:{Line}: {Project}/{Task}: {Message}";
}
