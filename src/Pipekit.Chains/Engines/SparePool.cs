using System.Diagnostics;

namespace Pipekit.Chains.Engines;

/// <summary>
/// Spare clones of PostgreSQL layers, made ahead of the jobs that will need them: up to <see cref="PerLayer"/> per
/// layer for the <see cref="MaxLayers"/> layers used most recently. A job takes a ready spare (then renames it, in
/// milliseconds) instead of copying the layer itself; when none is ready but one is being made, it waits for that one
/// (it has a head start on any copy the job could begin) rather than racing it with a second copy. Each take tops
/// the layer's pool up again in the background, one copy at a time, so jobs run back to back find one ready.
/// </summary>
internal sealed class SparePool(Func<string, string, CancellationToken, Task> create, Func<string, CancellationToken, Task> drop, Func<string, string> nameFor)
    : IAsyncDisposable
{
    /// <summary>How many spares each layer keeps ready.</summary>
    public const int PerLayer = 2;

    /// <summary>How many layers have spares at once; the one used longest ago gives its room up.</summary>
    public const int MaxLayers = 4;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LayerSpares> _layers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// A ready spare of <paramref name="layer"/>, now taken out of the pool, and how long the call waited for it; null
    /// when none is ready or being made. The caller owns the spare (renames it, or drops it).
    /// </summary>
    public async Task<(string? Spare, TimeSpan Waited)> TakeAsync(string layer, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (!_layers.TryGetValue(layer, out var spares)) return (null, clock.Elapsed);
                spares.UsedAt = Environment.TickCount64;
                if (spares.Ready.TryDequeue(out var spare)) return (spare, clock.Elapsed);
                if (spares.Filler is null) return (null, clock.Elapsed);
                changed = spares.Changed.Task;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Tops <paramref name="layer"/>'s spares up to <see cref="PerLayer"/> in the background unless that is under way.</summary>
    public void Refill(string layer)
    {
        lock (_lock)
        {
            if (_stopping.IsCancellationRequested) return;
            List<string> evicted = [];
            if (!_layers.TryGetValue(layer, out var spares))
            {
                if (_layers.Count >= MaxLayers)
                {
                    // Room is made by the layer used longest ago whose spares are not being made right now.
                    var victim = _layers.Where(l => l.Value.Filler is null).OrderBy(l => l.Value.UsedAt).Select(l => l.Key).FirstOrDefault();
                    if (victim is null) return;
                    evicted.AddRange(_layers[victim].Ready);
                    _layers.Remove(victim);
                }
                spares = new LayerSpares { UsedAt = Environment.TickCount64 };
                _layers[layer] = spares;
            }
            if (spares.Filler is not null || spares.Ready.Count >= PerLayer) return;
            spares.Filler = Task.Run(() => FillAsync(layer, spares, evicted));
        }
    }

    private async Task FillAsync(string layer, LayerSpares spares, List<string> evicted)
    {
        foreach (var name in evicted) await DropQuietlyAsync(name);
        while (true)
        {
            lock (_lock)
            {
                if (_stopping.IsCancellationRequested || spares.Ready.Count >= PerLayer || !IsCurrent(layer, spares))
                {
                    spares.Filler = null;
                    Signal(spares);
                    return;
                }
            }
            var spare = nameFor(layer);
            var made = false;
            try
            {
                await create(layer, spare, _stopping.Token);
                made = true;
            }
            catch (Exception)
            {
                // No spare this time (the layer was dropped, the server is busy or stopping): jobs copy the layer themselves.
            }
            var kept = false;
            lock (_lock)
            {
                if (made && !_stopping.IsCancellationRequested && IsCurrent(layer, spares))
                {
                    spares.Ready.Enqueue(spare);
                    kept = true;
                }
                if (!made) spares.Filler = null;
                Signal(spares);
            }
            if (!kept) await DropQuietlyAsync(spare);
            if (!made) return;
        }
    }

    private bool IsCurrent(string layer, LayerSpares spares) => _layers.TryGetValue(layer, out var current) && ReferenceEquals(current, spares);

    private static void Signal(LayerSpares spares)
    {
        var changed = spares.Changed;
        spares.Changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        changed.TrySetResult();
    }

    private async Task DropQuietlyAsync(string name)
    {
        try
        {
            await drop(name, CancellationToken.None);
        }
        catch (Exception)
        {
            // GC drops a spare it finds older than an hour or whose layer is gone.
        }
    }

    /// <summary>Stops making spares and drops the ready ones (server shutdown); what cannot be dropped now GC drops within the hour.</summary>
    public async ValueTask DisposeAsync()
    {
        List<Task> fillers;
        List<string> ready;
        lock (_lock)
        {
            _stopping.Cancel();
            fillers = _layers.Values.Select(l => l.Filler).OfType<Task>().ToList();
        }
        try
        {
            await Task.WhenAll(fillers).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception)
        {
        }
        lock (_lock)
        {
            ready = _layers.Values.SelectMany(l => l.Ready).ToList();
            _layers.Clear();
        }
        foreach (var name in ready)
        {
            try { await drop(name, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10)); }
            catch (Exception) { }
        }
    }

    private sealed class LayerSpares
    {
        public Queue<string> Ready { get; } = new();

        /// <summary>The background copy loop, while one runs.</summary>
        public Task? Filler { get; set; }

        /// <summary>Completed (and replaced) whenever a spare is added or the loop stops: what a waiting job waits on.</summary>
        public TaskCompletionSource Changed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long UsedAt { get; set; }
    }
}
