namespace Pipekit.Pipelines.Projects;

/// <summary>
/// A Pit workspace: <c>projects/*/pit.toml</c> under a root directory (<c>[pipelines].workspace</c>, or
/// <c>--project-dir</c>). Projects are read from disk on every call, so an edit counts at once.
/// </summary>
public sealed class Workspace
{
    public Workspace(string root)
    {
        Root = Path.GetFullPath(root);
    }

    public string Root { get; }

    public string ProjectsDirectory => Path.Combine(Root, "projects");

    /// <summary>Reads and validates every project; problems of one project never hide the others.</summary>
    public async Task<WorkspaceReport> LoadAsync(CancellationToken cancellationToken)
    {
        var projects = new List<PitProject>();
        var problems = new List<ProjectProblem>();
        if (!Directory.Exists(ProjectsDirectory)) return new WorkspaceReport(Root, projects, problems);
        foreach (var directory in Directory.GetDirectories(ProjectsDirectory).Order(StringComparer.Ordinal))
        {
            var config = Path.Combine(directory, "pit.toml");
            if (!File.Exists(config)) continue;
            var (project, parseProblems) = await ProjectFileParser.ReadAsync(config, cancellationToken);
            problems.AddRange(parseProblems);
            if (project is null) continue;
            projects.Add(project);
            problems.AddRange(ProjectValidator.Validate(project));
        }
        problems.AddRange(ProjectValidator.ValidateWorkspace(projects));
        return new WorkspaceReport(Root, projects, problems);
    }

    /// <summary>The DAG named <paramref name="dag"/>, refusing it when its project has problems.</summary>
    /// <exception cref="PipelineNotFoundException">No such DAG.</exception>
    /// <exception cref="InvalidProjectException">The project has problems.</exception>
    public async Task<PitProject> GetValidAsync(string dag, CancellationToken cancellationToken)
    {
        var report = await LoadAsync(cancellationToken);
        var project = report.Projects.FirstOrDefault(p => p.Name == dag)
            ?? throw new PipelineNotFoundException(report.Projects.Count == 0
                ? $"no DAG '{dag}': the workspace {Root} has no projects/*/pit.toml; create one with 'pipekit pipelines new {dag}'"
                : $"no DAG '{dag}' in {Root}; known DAGs: {string.Join(", ", report.Projects.Select(p => p.Name))}");
        var problems = report.ProblemsOf(dag);
        if (problems.Count > 0)
            throw new InvalidProjectException(
                $"DAG '{dag}' has {problems.Count} problem(s), the first: {problems[0]}; run 'pipekit pipelines validate' for all", problems);
        return project;
    }
}
