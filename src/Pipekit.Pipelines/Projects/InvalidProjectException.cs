using Pipekit.Core.Errors;

namespace Pipekit.Pipelines.Projects;

/// <summary>A DAG cannot run because its project has problems; the message lists the first and their count.</summary>
public sealed class InvalidProjectException(string message, IReadOnlyList<ProjectProblem> problems) : CannotDoHereException(message)
{
    public IReadOnlyList<ProjectProblem> Problems { get; } = problems;
}
