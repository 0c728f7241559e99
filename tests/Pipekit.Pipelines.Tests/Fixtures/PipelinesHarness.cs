using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;

namespace Pipekit.Pipelines.Tests.Fixtures;

/// <summary>A Pipekit installation in a temp directory wired as the CLI wires it (Core + Pipelines over a real SQLite store).</summary>
internal sealed class PipelinesHarness : IAsyncDisposable
{
    private PipelinesHarness(TestWorkspace workspace, ServiceProvider services)
    {
        Workspace = workspace;
        Services = services;
    }

    public TestWorkspace Workspace { get; }

    public ServiceProvider Services { get; }

    public T Get<T>() where T : notnull => Services.GetRequiredService<T>();

    public static async Task<PipelinesHarness> CreateAsync(TestWorkspace workspace, string secrets = "[global]\n", PipekitConfig? config = null)
    {
        await File.WriteAllTextAsync(workspace.SecretsPath, secrets);
        var home = new PipekitHome(Path.Combine(workspace.Root, "home"));
        var environment = new PipekitEnvironment(home, config ?? new PipekitConfig(), workspace.SecretsPath);
        var store = await SecretStore.LoadAsync(workspace.SecretsPath, CancellationToken.None);
        var services = new ServiceCollection().AddPipekitCore(environment, store).AddPipekitPipelines(workspace.Root).BuildServiceProvider();
        await services.GetRequiredService<StateStore>().InitializeAsync(CancellationToken.None);
        return new PipelinesHarness(workspace, services);
    }

    public async ValueTask DisposeAsync() => await Services.DisposeAsync();
}
