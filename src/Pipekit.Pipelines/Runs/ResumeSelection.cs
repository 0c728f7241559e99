using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.State;

namespace Pipekit.Pipelines.Runs;

/// <summary>
/// What a resume does with each task of the attempt it follows. Tasks that succeeded are kept. The failed tasks re-run (and
/// tasks still <c>running</c> or <c>pending</c>, left so by a process that died), then every task after them that did not
/// run, and whatever those need that did not succeed. A task the run stopped before starting (a cancel or the run timeout
/// while it waited for a free slot) that depends on no failure is not re-run: it stays <c>skipped</c>.
/// </summary>
public sealed record ResumeSelection(IReadOnlySet<string> Succeeded, IReadOnlyDictionary<string, string> NotRerun, IReadOnlySet<string> Rerun)
{
    public static readonly ResumeSelection None = new(new HashSet<string>(), new Dictionary<string, string>(), new HashSet<string>());

    /// <param name="project">The DAG as the run's snapshot has it.</param>
    /// <param name="lastAttempt">The task rows of the attempt being resumed.</param>
    /// <param name="onlyTask">The single task of a single-task run (the others stay out by that rule), or null.</param>
    public static ResumeSelection Of(PitProject project, IReadOnlyList<TaskRunRecord> lastAttempt, string? onlyTask)
    {
        var status = lastAttempt.GroupBy(t => t.Task, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);
        bool Succeeded(string task) => status.TryGetValue(task, out var row) && row.Status == TaskRunStatus.Success;
        var succeeded = project.Tasks.Select(t => t.Name).Where(Succeeded).ToHashSet(StringComparer.Ordinal);
        var roots = project.Tasks.Where(t => !status.TryGetValue(t.Name, out var row)
            || row.Status is TaskRunStatus.Failed or TaskRunStatus.Running or TaskRunStatus.Pending).Select(t => t.Name).ToList();
        if (onlyTask is not null)
        {
            var only = roots.Contains(onlyTask, StringComparer.Ordinal) ? new HashSet<string>([onlyTask], StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
            return new ResumeSelection(succeeded, new Dictionary<string, string>(), only);
        }

        var dependents = project.Tasks.ToDictionary(t => t.Name, _ => new List<string>(), StringComparer.Ordinal);
        foreach (var task in project.Tasks)
            foreach (var dependency in task.DependsOn)
                if (dependents.TryGetValue(dependency, out var list)) list.Add(task.Name);
        var rerun = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(roots);
        while (stack.Count > 0)
        {
            var task = stack.Pop();
            if (Succeeded(task) || !rerun.Add(task)) continue;
            foreach (var next in dependents[task]) stack.Push(next);
            // A re-run task can only start once what it needs has succeeded: what did not succeed re-runs too.
            foreach (var dependency in project.FindTask(task)!.DependsOn) stack.Push(dependency);
        }
        var notRerun = project.Tasks.Where(t => !succeeded.Contains(t.Name) && !rerun.Contains(t.Name))
            .ToDictionary(t => t.Name, t => status[t.Name].StatusDetail ?? status[t.Name].Status.ToText(), StringComparer.Ordinal);
        return new ResumeSelection(succeeded, notRerun, rerun);
    }
}
