using Pipekit.Core.Configuration;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Projects;
using Pipekit.Pipelines.Sdk;
using Pipekit.Testing;

namespace Pipekit.Pipelines.Tests.Fixtures;

/// <summary>A workspace in a temp directory: projects, scripts, a secrets file, and an executor over them.</summary>
internal sealed class TestWorkspace : IDisposable
{
    private readonly TempDirectory _dir = new();

    public string Root => _dir.Path;

    public string SecretsPath => Path.Combine(Root, "secrets.toml");

    public Workspace Workspace => new(Root);

    public string ProjectDirectory(string name) => Path.Combine(Root, "projects", name);

    public string Project(string name, string pitToml, params (string Path, string Text)[] files)
    {
        var directory = ProjectDirectory(name);
        Directory.CreateDirectory(directory);
        System.IO.File.WriteAllText(Path.Combine(directory, "pit.toml"), pitToml);
        foreach (var (path, text) in files) File(name, path, text);
        return directory;
    }

    public void File(string project, string path, string text)
    {
        var full = Path.Combine(ProjectDirectory(project), path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, text);
    }

    public async Task<SecretStore> SecretsAsync(string text)
    {
        await System.IO.File.WriteAllTextAsync(SecretsPath, text);
        return await SecretStore.LoadAsync(SecretsPath, CancellationToken.None);
    }

    public async Task<PitProject> LoadAsync(string dag) => await Workspace.GetValidAsync(dag, CancellationToken.None);

    public DagExecutor Executor(SecretStore? secrets = null, ISecretAudit? audit = null)
    {
        secrets ??= SecretStore.LoadOrEmptyAsync(SecretsPath, CancellationToken.None).GetAwaiter().GetResult();
        return new DagExecutor(secrets, DriverRegistry.CreateDefault(), Redactor.FromStore(secrets), TimeProvider.System, new PipekitConfig(), audit);
    }

    private int _runs;

    public ExecutionPlan Plan(PitProject project, int maxParallel = 4, string? onlyTask = null, Action<string>? output = null)
    {
        var id = Interlocked.Increment(ref _runs).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return new ExecutionPlan
        {
            Project = project,
            RunId = id,
            RunDirectory = Path.Combine(Root, "runs", id),
            MaxParallelTasks = maxParallel,
            OnlyTask = onlyTask,
            Output = output,
        };
    }

    public async Task<RunOutcome> RunAsync(string dag, int maxParallel = 4, string? onlyTask = null, SecretStore? secrets = null,
        CancellationToken cancellationToken = default)
    {
        var project = await LoadAsync(dag);
        return await Executor(secrets).ExecuteAsync(Plan(project, maxParallel, onlyTask), cancellationToken);
    }

    public void Dispose() => _dir.Dispose();
}
