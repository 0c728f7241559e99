using Microsoft.Extensions.DependencyInjection;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Layers;
using Pipekit.Chains.Planning;
using Pipekit.Chains.Projects;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Testing;

namespace Pipekit.Chains.Tests.Fixtures;

/// <summary>One Pipekit installation in a temp directory wired as the server wires it, with Chains on top.</summary>
internal sealed class ChainHarness : IAsyncDisposable
{
    private readonly TempDirectory _directory;
    private readonly ServiceProvider _services;
    private int _jobs;

    private ChainHarness(TempDirectory directory, ServiceProvider services)
    {
        _directory = directory;
        _services = services;
    }

    public string Home => _directory.Path;

    public ChainRunner Runner => Get<ChainRunner>();

    public ChainJobService Jobs => Get<ChainJobService>();

    /// <summary>Polls job <paramref name="id"/> until <paramref name="until"/> holds (at most a minute).</summary>
    public async Task<ChainJob> WaitForJobAsync(long id, Func<ChainJob, bool> until)
    {
        for (var i = 0; ; i++)
        {
            var job = await Jobs.GetAsync(id, CancellationToken.None);
            if (until(job)) return job;
            if (job.IsTerminal) throw new InvalidOperationException($"job {id} ended {job.Status}: {job.Error?.Message}");
            if (i >= 1200) throw new TimeoutException($"job {id} stayed {job.Status} ({job.Stage})");
            await Task.Delay(50);
        }
    }

    public Task<ChainJob> WaitForEndAsync(long id) => WaitForJobAsync(id, j => j.IsTerminal);

    public ILayerCatalog Layers => Get<ILayerCatalog>();

    /// <summary>A harness with its own SQLite state store, or one on the PostgreSQL database <paramref name="stateUrl"/> (shared by several nodes).</summary>
    public static async Task<ChainHarness> StartAsync(ChainsOptions? chains = null, TimeProvider? time = null, string? stateUrl = null)
    {
        var directory = new TempDirectory();
        var secretsPath = directory.File("secrets.toml");
        await File.WriteAllTextAsync(secretsPath, "[global]\n");
        var config = new PipekitConfig { Chains = chains ?? new ChainsOptions(), State = new StateOptions { Url = stateUrl } };
        var environment = new PipekitEnvironment(new PipekitHome(directory.Path), config, secretsPath);
        var secrets = await SecretStore.LoadAsync(secretsPath, CancellationToken.None);
        var services = new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitChains();
        if (time is not null) services.AddSingleton(time);
        var provider = services.BuildServiceProvider();
        var store = provider.GetRequiredService<StateStore>();
        await store.InitializeAsync(CancellationToken.None);
        return new ChainHarness(directory, provider);
    }

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    public Task<ChainRunOutcome> RunAsync(ProjectTree tree, string head, string engine, IReadOnlyDictionary<string, object?>? variables = null,
        int? timeoutMs = null, IChainRunObserver? observer = null, CancellationToken cancellationToken = default) =>
        Runner.RunAsync(new ChainRunRequest(ChainOrder.Plan(tree, head), engine, variables ?? new Dictionary<string, object?>(), timeoutMs,
                "pkj_t" + Interlocked.Increment(ref _jobs) + "_" + Guid.NewGuid().ToString("N")[..8]),
            observer ?? new RecordingObserver(), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _directory.Dispose();
    }
}
