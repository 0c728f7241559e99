using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Pipekit.Chains.Engines;
using Pipekit.Chains.Layers;
using Pipekit.Chains.Scripts;
using Pipekit.Core.Configuration;

namespace Pipekit.Chains.Jobs;

/// <summary>
/// One run of a chain, the same for the CLI and a job: find or build the tail's layer, clone it into the job's
/// instance, run the head there with its variables, drop the instance. A cancellation (or the timeout) stops the
/// statement that is running, drops the instance and any unfinished build, and leaves published layers intact.
/// </summary>
public sealed class ChainRunner : IAsyncDisposable
{
    private readonly ChainEngines _engines;
    private readonly LayerCache _cache;
    private readonly InstanceLimiter _instances;
    private readonly PublishMode _publish;
    private readonly ChainMetrics _metrics;
    private readonly ILogger<ChainRunner> _logger;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Task, byte> _drops = new();

    internal ChainRunner(ChainEngines engines, LayerCache cache, InstanceLimiter instances, PipekitConfig config, ChainMetrics metrics, ILogger<ChainRunner> logger)
    {
        _engines = engines;
        _cache = cache;
        _instances = instances;
        _publish = config.Chains.Publish == "tail_only" ? PublishMode.TailOnly : PublishMode.EveryStep;
        _metrics = metrics;
        _logger = logger;
    }

    public async Task<ChainRunOutcome> RunAsync(ChainRunRequest request, IChainRunObserver observer, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.TimeoutMs is { } ms) timeout.CancelAfter(ms);
        // The layers this run stands on are claimed in the store from the moment they are found until the instance is
        // cloned, so no node's GC drops one in between: released right after the clone, or here when the run fails first.
        var claims = new Claims("run:" + request.InstanceName + ":" + Guid.NewGuid().ToString("N")[..12]);
        try
        {
            return await RunCoreAsync(request, observer, claims, timeout.Token);
        }
        catch (Exception ex) when (request.TimeoutMs is { } limit && !cancellationToken.IsCancellationRequested
            && (timeout.IsCancellationRequested || ex is ChainStepException { SqlState: "57014" }))
        {
            throw new ChainTimeoutException(limit, ex);
        }
        finally
        {
            if (!claims.Released) await ReleaseClaimsAsync(claims.Holder);
        }
    }

    private sealed class Claims(string holder)
    {
        public string Holder { get; } = holder;

        public bool Released { get; set; }
    }

    private async Task<ChainRunOutcome> RunCoreAsync(ChainRunRequest request, IChainRunObserver observer, Claims claims, CancellationToken cancellationToken)
    {
        var stages = new List<StageTiming>();
        var clock = Stopwatch.StartNew();
        Task StageAsync(string stage) => observer.StageAsync(stage, cancellationToken);
        void EndStage(string stage)
        {
            stages.Add(new StageTiming(stage, clock.ElapsedMilliseconds));
            clock.Restart();
        }
        Task Log(string line) => observer.LogAsync(line, CancellationToken.None);

        var engine = _engines.Resolve(request.Engine);
        await observer.StatusAsync(ChainStages.Preparing, cancellationToken);
        var prepare = Stopwatch.StartNew();

        await StageAsync(ChainStages.SnapshotLookup);
        var fingerprint = await engine.FingerprintAsync(cancellationToken);
        EndStage(ChainStages.SnapshotLookup);

        await StageAsync(ChainStages.TailReplay);
        var tail = await _cache.PrepareAsync(engine, fingerprint, request.Plan.Tail, _publish, claims.Holder, Log, cancellationToken);
        EndStage(ChainStages.TailReplay);
        _metrics.Lookup(tail.Hit);
        _metrics.Replayed(tail.ReplayedSteps);
        await observer.TailAsync(tail, CancellationToken.None);

        using var pin = tail.Layer is null ? null : _cache.Pin(tail.Layer.StoreName);
        await StageAsync(ChainStages.InstanceBoot);
        var slot = await _instances.TryAcquireAsync(request.InstanceName, cancellationToken);
        if (slot is null)
        {
            await observer.LogAsync($"waiting for a free instance (all {_instances.Capacity} in use on the nodes of this store, [chains].max_instances)", cancellationToken);
            slot = await _instances.AcquireAsync(request.InstanceName, cancellationToken);
        }
        ChainDatabase? instance = null;
        var handedOver = false;
        try
        {
            instance = await engine.CloneAsync(tail.Layer?.StoreName, request.InstanceName, cancellationToken);
            claims.Released = true;
            Background(ReleaseClaimsAsync(claims.Holder));
            await observer.LogAsync($"instance {Path.GetFileNameWithoutExtension(instance.Name)} is {instance.Origin} of "
                + (tail.Layer is null ? "an empty database" : Path.GetFileName(tail.Layer.StoreName)), cancellationToken);
            if (request.TimeoutMs is { } ms) await engine.LimitStatementsAsync(instance, ms, cancellationToken);
            EndStage(ChainStages.InstanceBoot);
            _metrics.Prepared(tail.Hit, prepare.Elapsed);

            await observer.StatusAsync(ChainStages.Running, cancellationToken);
            await StageAsync(ChainStages.HeadExecution);
            await observer.LogAsync($"running head {request.Plan.Head.Path}", cancellationToken);
            var result = await StepExecutor.RunHeadAsync(engine, instance, request.Plan.Head, request.Variables, cancellationToken);
            EndStage(ChainStages.HeadExecution);
            _metrics.HeadRan(TimeSpan.FromMilliseconds(stages[^1].DurationMs));
            await observer.LogAsync($"head returned {result.RowCount} row(s)", cancellationToken);

            await observer.StatusAsync(ChainStages.PublishingStatus, cancellationToken);
            await StageAsync(ChainStages.Publishing);
            KeptInstance? kept = null;
            if (request.KeepInstance)
            {
                await engine.KeepAsync(instance, CancellationToken.None);
                kept = new KeptInstance(instance.Name, engine.ConnectTo(instance.Name));
                await instance.DisposeAsync();
                await slot.DisposeAsync(); // a kept instance no longer counts against max_instances
            }
            else
            {
                // The result is known: the instance is dropped (and its slot freed) after the run returns, so the
                // job ends without waiting for DROP DATABASE.
                DropLater(engine, instance, slot);
            }
            handedOver = true;
            EndStage(ChainStages.Publishing);
            return new ChainRunOutcome(engine.Kind, tail, result, stages, kept);
        }
        finally
        {
            if (!handedOver)
            {
                if (instance is not null)
                {
                    await DropInstanceAsync(engine, instance);
                    await instance.DisposeAsync();
                }
                await slot.DisposeAsync();
            }
        }
    }

    private async Task ReleaseClaimsAsync(string holder)
    {
        try
        {
            await _cache.ReleaseAsync(holder, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogWarning("Could not release the layer claims of {Holder}; they lapse within {Lease}: {Error}", holder, LayerCache.ClaimLease, ex.Message);
        }
    }

    /// <summary>Tracks work that finishes after the run returned, so <see cref="DrainAsync"/> waits for it.</summary>
    private void Background(Task work)
    {
        _drops[work] = 0;
        _ = work.ContinueWith(t => _drops.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Waits until every instance handed to a background drop is gone (tests; shutdown).</summary>
    public async Task DrainAsync()
    {
        while (!_drops.IsEmpty) await Task.WhenAll(_drops.Keys);
    }

    /// <summary>Waits for the instances still being dropped (the service provider's disposal).</summary>
    public async ValueTask DisposeAsync() => await DrainAsync();

    private void DropLater(IChainEngine engine, ChainDatabase instance, IAsyncDisposable slot)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var drop = Task.Run(async () =>
        {
            await gate.Task;
            try
            {
                await DropInstanceAsync(engine, instance);
                await instance.DisposeAsync();
            }
            finally
            {
                await slot.DisposeAsync();
            }
        });
        Background(drop);
        gate.SetResult();
    }

    private async Task<bool> DropInstanceAsync(IChainEngine engine, ChainDatabase instance)
    {
        try
        {
            await engine.DropAsync(instance, CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not drop chain instance {Instance}; GC removes it later", instance.Name);
            return false;
        }
    }
}
