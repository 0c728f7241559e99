namespace Pipekit.Pipelines.Projects;

/// <summary>
/// The checks that need a whole project or the whole workspace: task names, dependencies, cycles, scripts,
/// runners, duplicate DAG names and <c>requires</c>. Every problem is reported, none stops the others.
/// </summary>
public static class ProjectValidator
{
    public static IReadOnlyList<ProjectProblem> Validate(PitProject project)
    {
        var problems = new List<ProjectProblem>();
        void Add(int line, string? task, string message) => problems.Add(new ProjectProblem(project.ConfigPath, line, project.Name, task, message));

        if (project.Tasks.Count == 0)
            Add(project.Line, null, "has no tasks; add a [[tasks]] entry with name and script");

        var seen = new Dictionary<string, PitTask>(StringComparer.Ordinal);
        foreach (var task in project.Tasks)
        {
            if (string.IsNullOrWhiteSpace(task.Name))
            {
                Add(task.Line, null, "a [[tasks]] entry has no name; add name = \"...\" (unique in the DAG)");
                continue;
            }
            if (task.Name.Contains('/') || task.Name.Contains('\0') || task.Name is "." or ".." || task.Name != task.Name.Trim())
                Add(task.Line, task.Name, "task names are file names of their logs: no '/', no leading or trailing spaces, not '.' or '..'");
            if (!seen.TryAdd(task.Name, task))
                Add(task.Line, task.Name, $"duplicate task name (first at line {seen[task.Name].Line}); rename one of them");

            if (RunnerChoice.For(task, out var runnerProblem) is null) Add(task.Line, task.Name, runnerProblem!);
            if (task.Script.Length > 0)
            {
                var (check, full) = ScriptPaths.Locate(project.Directory, task.Script);
                switch (check)
                {
                    case ScriptPaths.Check.Missing:
                        Add(task.Line, task.Name, $"script {task.Script} not found ({full}); create it or fix 'script'");
                        break;
                    case ScriptPaths.Check.Absolute:
                        Add(task.Line, task.Name, $"script {task.Script} is an absolute path; give it relative to the project directory");
                        break;
                    case ScriptPaths.Check.EscapesByPath:
                        Add(task.Line, task.Name, $"script {task.Script} is outside the project directory (through '..'); move the script into the project");
                        break;
                    case ScriptPaths.Check.EscapesBySymlink:
                        Add(task.Line, task.Name, $"script {task.Script} leads outside the project directory through a symlink; copy the file into the project instead");
                        break;
                }
            }
        }

        foreach (var task in project.Tasks.Where(t => t.Name.Length > 0))
        {
            foreach (var dependency in task.DependsOn)
            {
                if (!seen.ContainsKey(dependency))
                    Add(task.Line, task.Name, $"depends_on '{dependency}', which is not a task of this DAG; known tasks: {string.Join(", ", seen.Keys)}");
            }
            if (task.DependsOn.Distinct(StringComparer.Ordinal).Count() != task.DependsOn.Count)
                Add(task.Line, task.Name, "depends_on lists a task twice; list each once");
        }

        if (FindCycle(project) is { } cycle)
            Add(project.FindTask(cycle[0])?.Line ?? project.Line, cycle[0], $"dependency cycle: {string.Join(" -> ", cycle)}; remove one of these depends_on");

        if (project.Requires.Contains(project.Name))
            Add(project.Line, null, "requires itself; remove its own name from requires");
        return problems;
    }

    /// <summary>Problems across projects: DAG names must be unique, and <c>requires</c> must name DAGs that exist.</summary>
    public static IReadOnlyList<ProjectProblem> ValidateWorkspace(IReadOnlyList<PitProject> projects)
    {
        var problems = new List<ProjectProblem>();
        foreach (var group in projects.GroupBy(p => p.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (var p in group.Skip(1))
                problems.Add(new ProjectProblem(p.ConfigPath, p.Line, p.Name, null,
                    $"duplicate DAG name, also used by {group.First().ConfigPath}; set a different [dag].name in one of them"));
        }
        var names = projects.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var p in projects)
        {
            foreach (var required in p.Requires.Where(r => !names.Contains(r)))
                problems.Add(new ProjectProblem(p.ConfigPath, p.Line, p.Name, null,
                    $"requires '{required}', which is not a DAG in this workspace; known DAGs: {string.Join(", ", names.Order(StringComparer.Ordinal))}"));
        }
        return problems;
    }

    /// <summary>A dependency cycle as task names, first repeated at the end (a -> b -> a), or null.</summary>
    public static IReadOnlyList<string>? FindCycle(PitProject project)
    {
        var byName = new Dictionary<string, PitTask>(StringComparer.Ordinal);
        foreach (var t in project.Tasks.Where(t => t.Name.Length > 0)) byName.TryAdd(t.Name, t);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 on the path, 2 done
        var path = new List<string>();

        List<string>? Visit(string name)
        {
            state[name] = 1;
            path.Add(name);
            foreach (var dependency in byName[name].DependsOn.Where(byName.ContainsKey))
            {
                if (state.GetValueOrDefault(dependency) == 1)
                {
                    // The path runs from dependents to dependencies; print the cycle in run order.
                    var cycle = path[path.IndexOf(dependency)..].Append(dependency).Reverse().ToList();
                    return cycle;
                }
                if (state.GetValueOrDefault(dependency) == 0 && Visit(dependency) is { } found) return found;
            }
            path.RemoveAt(path.Count - 1);
            state[name] = 2;
            return null;
        }

        foreach (var name in byName.Keys)
        {
            if (state.GetValueOrDefault(name) == 0 && Visit(name) is { } cycle) return cycle;
        }
        return null;
    }
}
