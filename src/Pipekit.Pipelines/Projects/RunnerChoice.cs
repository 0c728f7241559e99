namespace Pipekit.Pipelines.Projects;

/// <summary>A task's runner: the <c>runner</c> key when set, else the script's extension (.py, .sh, .sql).</summary>
public sealed record RunnerChoice(RunnerKind Kind, string? Command)
{
    /// <summary>The runner for <paramref name="task"/>, or null with <paramref name="problem"/> saying what to write instead.</summary>
    public static RunnerChoice? For(PitTask task, out string? problem)
    {
        problem = null;
        var runner = task.Runner?.Trim();
        if (!string.IsNullOrEmpty(runner))
        {
            switch (runner)
            {
                case "python": return new RunnerChoice(RunnerKind.Python, null);
                case "bash": case "shell": case "sh": return new RunnerChoice(RunnerKind.Bash, null);
                case "sql": return new RunnerChoice(RunnerKind.Sql, null);
            }
            if (runner.StartsWith('$'))
            {
                var command = runner[1..].Trim();
                if (command.Length > 0) return new RunnerChoice(RunnerKind.Custom, command);
                problem = "runner \"$\" names no command; write runner = \"$ command args\" (the script path is appended)";
                return null;
            }
            problem = $"runner '{runner}' is not python, bash, sql or \"$ command args\"";
            return null;
        }
        switch (Path.GetExtension(task.Script).ToLowerInvariant())
        {
            case ".py": return new RunnerChoice(RunnerKind.Python, null);
            case ".sh": return new RunnerChoice(RunnerKind.Bash, null);
            case ".sql": return new RunnerChoice(RunnerKind.Sql, null);
        }
        problem = $"cannot tell the runner of '{task.Script}' from its extension; name it .py, .sh or .sql, or set runner = \"python\" | \"bash\" | \"sql\" | \"$ command\"";
        return null;
    }

    public override string ToString() => Kind == RunnerKind.Custom ? $"$ {Command}" : Kind.ToString().ToLowerInvariant();
}
