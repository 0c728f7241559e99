namespace Pipekit.Pipelines.Projects;

/// <summary>How a task's script is run.</summary>
public enum RunnerKind
{
    Python,
    Bash,
    Sql,

    /// <summary><c>runner = "$ command args"</c>: the script path is appended to the command.</summary>
    Custom,
}
