using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Pipekit.Chains.Engines;
using Pipekit.Chains.Hashing;
using Pipekit.Chains.Planning;
using Pipekit.Chains.Scripts;

namespace Pipekit.Chains.Layers;

/// <summary>
/// Finds the longest cached prefix of a tail and replays the rest, publishing layers as it goes. A layer two jobs
/// need is built once: the second waits on the first's build (in this process) or loses the publish race and
/// uses the winner's layer (across processes). Layers a live job stands on are pinned so GC leaves them alone: in
/// this process by a pin, and on every node by a claim in the store (<see cref="ILayerCatalog.ClaimAsync"/>) taken
/// atomically with checking the layer is still there, from the moment a run finds (or builds) a layer until it has
/// cloned from it.
/// </summary>
internal sealed class LayerCache(ILayerCatalog catalog, TimeProvider time, ILogger<LayerCache> logger)
{
    private readonly ConcurrentDictionary<string, Task<LayerRecord>> _builds = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _pins = new(StringComparer.Ordinal);

    /// <summary>How long a claim holds without being released: a run that died leaves its claims for this long.</summary>
    public static readonly TimeSpan ClaimLease = TimeSpan.FromHours(1);

    public ILayerCatalog Catalog => catalog;

    /// <summary>Releases every claim of <paramref name="holder"/> (the run has cloned its instance, or ended).</summary>
    public Task ReleaseAsync(string holder, CancellationToken cancellationToken) => catalog.ReleaseAsync(holder, cancellationToken);

    /// <summary>Claims <paramref name="layer"/> for <paramref name="holder"/> (and marks it used); false when GC took it first.</summary>
    private Task<bool> ClaimAsync(LayerRecord layer, string holder, bool hit, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return catalog.ClaimAsync(layer.Id, holder, now, now + ClaimLease, hit, cancellationToken);
    }

    public bool IsPinned(string storeName) => _pins.TryGetValue(storeName, out var count) && count > 0;

    /// <summary>Keeps GC away from <paramref name="storeName"/> until the returned handle is disposed.</summary>
    public IDisposable Pin(string storeName)
    {
        _pins.AddOrUpdate(storeName, 1, (_, n) => n + 1);
        return new Unpin(this, storeName);
    }

    /// <summary>
    /// The tail's layer, found or built. Every layer the run stands on (the one found, each one it builds or waits
    /// for) is claimed for <paramref name="holder"/>; the caller releases the claims once it has cloned its instance.
    /// </summary>
    public async Task<TailState> PrepareAsync(IChainEngine engine, EngineFingerprint fingerprint, IReadOnlyList<ChainStep> tail,
        PublishMode mode, string holder, Func<string, Task> log, CancellationToken cancellationToken)
    {
        var baseHash = StateHash.Root(fingerprint);
        var states = StateHash.States(baseHash, tail);
        if (tail.Count == 0) return new TailState(baseHash, states, baseHash, null, true, 0, 0, null);

        // Finding a layer claims it and marks it used (a hit only when it is the whole tail).
        var (found, parent) = await LookupAsync(engine, states, holder, cancellationToken);

        if (found == states.Count)
        {
            await log($"snapshot hit: {tail.Count} tail step(s) cached as {Path.GetFileName(parent!.StoreName)}");
            return new TailState(baseHash, states, states[^1], parent, true, found, 0, null);
        }

        var all = await catalog.ListAsync(engine.Kind, cancellationToken);
        var miss = MissExplainer.Explain(all, fingerprint, baseHash, tail, states, found);
        await log($"snapshot miss at {miss.StepPath}: {miss.Detail}; {found} of {tail.Count} tail step(s) cached");

        var replayed = 0;
        var context = new BuildContext(engine, fingerprint, baseHash, tail, states, holder, log, new StrongBox<int>(0));
        if (mode == PublishMode.EveryStep)
        {
            for (var i = found; i < states.Count; i++)
            {
                var (layer, ran) = await BuildOnceAsync(context, parent, i, i, cancellationToken);
                replayed += ran;
                parent = layer;
            }
        }
        else
        {
            var (layer, ran) = await BuildOnceAsync(context, parent, found, states.Count - 1, cancellationToken);
            replayed += ran;
            parent = layer;
        }
        return new TailState(baseHash, states, states[^1], parent, false, found, replayed, miss, context.Retries.Value);
    }

    /// <summary>
    /// The longest prefix of <paramref name="states"/> whose layer exists: its length and layer (0 and null when none).
    /// With a <paramref name="holder"/>, the layer returned is claimed for it (and marked used); a layer GC took
    /// between the read and the claim is skipped for the next shorter prefix. A layer recorded but gone from the
    /// engine is forgotten.
    /// </summary>
    public async Task<(int Found, LayerRecord? Layer)> LookupAsync(IChainEngine engine, IReadOnlyList<string> states, string? holder,
        CancellationToken cancellationToken)
    {
        var cached = (await catalog.FindAsync(engine.Kind, states, cancellationToken)).ToDictionary(l => l.StateHash, StringComparer.Ordinal);
        for (var i = states.Count - 1; i >= 0; i--)
        {
            if (!cached.TryGetValue(states[i], out var layer)) continue;
            if (holder is not null && !await ClaimAsync(layer, holder, hit: i == states.Count - 1, cancellationToken)) continue;
            if (await engine.LayerExistsAsync(layer.StoreName, cancellationToken)) return (i + 1, layer);
            logger.LogWarning("Layer {Layer} is recorded but gone from the engine; forgetting it", layer.StoreName);
            await catalog.DeleteAsync(layer.Id, cancellationToken);
        }
        return (0, null);
    }

    private sealed record BuildContext(IChainEngine Engine, EngineFingerprint Fingerprint, string BaseHash, IReadOnlyList<ChainStep> Tail,
        IReadOnlyList<string> States, string Holder, Func<string, Task> Log, StrongBox<int> Retries);

    /// <summary>
    /// The layer after step <paramref name="last"/>, built from <paramref name="parent"/> by running steps
    /// <paramref name="first"/>..<paramref name="last"/> unless someone else is building or has built it. Returns the
    /// layer and how many steps this call ran itself.
    /// </summary>
    private async Task<(LayerRecord Layer, int Ran)> BuildOnceAsync(BuildContext context, LayerRecord? parent, int first, int last,
        CancellationToken cancellationToken)
    {
        var key = context.Engine.Kind + ":" + context.States[last];
        while (true)
        {
            var mine = new TaskCompletionSource<LayerRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
            var build = _builds.GetOrAdd(key, mine.Task);
            if (build != mine.Task)
            {
                await context.Log($"waiting for another job building {context.Tail[last].Path}");
                LayerRecord built;
                try
                {
                    built = await build.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    context.Retries.Value++; // the builder was cancelled, not us: build it ourselves
                    continue;
                }
                if (await ClaimAsync(built, context.Holder, hit: false, cancellationToken)) return (built, 0);
                context.Retries.Value++; // collected before we could claim it: build it again
                continue;
            }

            try
            {
                var result = await BuildAsync(context, parent, first, last, cancellationToken);
                mine.SetResult(result.Layer);
                return result;
            }
            catch (OperationCanceledException ex)
            {
                mine.SetCanceled(ex.CancellationToken);
                throw;
            }
            catch (Exception ex)
            {
                mine.SetException(ex);
                throw;
            }
            finally
            {
                _builds.TryRemove(new KeyValuePair<string, Task<LayerRecord>>(key, mine.Task));
            }
        }
    }

    private async Task<(LayerRecord Layer, int Ran)> BuildAsync(BuildContext context, LayerRecord? parent, int first, int last,
        CancellationToken cancellationToken)
    {
        var engine = context.Engine;
        var state = context.States[last];
        var layerName = engine.LayerName(state);

        // Another process may have published it since the lookup.
        var existing = (await catalog.FindAsync(engine.Kind, [state], cancellationToken)).FirstOrDefault();
        if (existing is not null && await ClaimAsync(existing, context.Holder, hit: false, cancellationToken)
            && await engine.LayerExistsAsync(existing.StoreName, cancellationToken)) return (existing, 0);

        var workName = PostgresChainEngine.BuildPrefix + state[..24] + "_" +
            time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) + "_" + Guid.NewGuid().ToString("N")[..6];
        using var pin = parent is null ? null : Pin(parent.StoreName);
        var ran = 0;
        var published = false;
        var working = await engine.CloneAsync(parent?.StoreName, workName, cancellationToken);
        try
        {
            for (var i = first; i <= last; i++)
            {
                var step = context.Tail[i];
                await context.Log($"replaying {step.Path}");
                await StepExecutor.RunAsync(engine, working, step, cancellationToken);
                ran++;
            }
            published = await engine.PublishAsync(working, layerName, cancellationToken);
        }
        finally
        {
            if (!published) await DropQuietlyAsync(engine, working);
            await working.DisposeAsync();
        }

        var now = time.GetUtcNow();
        var step0 = context.Tail[last];
        var record = await catalog.AddAsync(new LayerRecord
        {
            StateHash = state,
            ParentHash = last == 0 ? context.BaseHash : context.States[last - 1],
            BaseHash = context.BaseHash,
            Engine = engine.Kind,
            StoreName = layerName,
            StepIndex = last,
            StepPath = step0.Path,
            ContentHash = StateHash.Content(step0.Content),
            Fingerprint = context.Fingerprint.Describe(),
            SizeBytes = await engine.LayerBytesAsync(layerName, CancellationToken.None),
            CreatedAt = now,
            LastUsedAt = now,
        }, CancellationToken.None);
        // The next step (or the instance) clones from it: claimed until then, like a layer found.
        if (!await ClaimAsync(record, context.Holder, hit: false, CancellationToken.None))
            logger.LogWarning("Layer {Layer} was collected as soon as it was recorded; the next clone from it fails", layerName);
        await context.Log(published
            ? $"published layer {Path.GetFileName(layerName)} after {step0.Path} ({record.SizeBytes} bytes)"
            : $"layer {Path.GetFileName(layerName)} was published by another builder first");
        return (record, ran);
    }

    private async Task DropQuietlyAsync(IChainEngine engine, ChainDatabase working)
    {
        try
        {
            await engine.DropAsync(working, CancellationToken.None);
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Could not drop the unfinished build {Database}; GC removes it later", working.Name);
        }
    }

    private sealed class Unpin(LayerCache cache, string storeName) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                cache._pins.AddOrUpdate(storeName, 0, (_, n) => n - 1);
        }
    }
}
