using System.Diagnostics;

namespace Pipekit.Chains.Engines;

/// <summary>
/// Spare clones of PostgreSQL layers, made ahead of the jobs that will need them: up to <see cref="PerLayer"/> per
/// layer for the <see cref="MaxLayers"/> layers used most recently. A job takes a ready spare (then renames it, in
/// milliseconds) instead of copying the layer itself; when none is ready but one is being made, it waits for that one
/// (it has a head start on any copy the job could begin) rather than racing it with a second copy. Each take tops
/// the layer's pool up again at once in the background, the missing copies side by side (CREATE DATABASE waits for
/// checkpoints, which copies made together share), so jobs run back to back find one ready or nearly so.
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
    private readonly HashSet<Task> _fills = [];

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
                if (spares.Filling == 0) return (null, clock.Elapsed);
                changed = spares.Changed.Task;
            }
            await changed.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Tops <paramref name="layer"/>'s spares up to <see cref="PerLayer"/> (counting those being made) in the background.</summary>
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
                    var victim = _layers.Where(l => l.Value.Filling == 0).OrderBy(l => l.Value.UsedAt).Select(l => l.Key).FirstOrDefault();
                    if (victim is null) return;
                    evicted.AddRange(_layers[victim].Ready);
                    _layers.Remove(victim);
                }
                spares = new LayerSpares { UsedAt = Environment.TickCount64 };
                _layers[layer] = spares;
            }
            for (var missing = PerLayer - spares.Ready.Count - spares.Filling; missing > 0; missing--)
            {
                spares.Filling++;
                var drops = evicted;
                evicted = [];
                var fill = Task.Run(() => FillOneAsync(layer, spares, drops));
                _fills.Add(fill);
                _ = fill.ContinueWith(t => { lock (_lock) _fills.Remove(t); }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
            }
        }
    }

    private async Task FillOneAsync(string layer, LayerSpares spares, List<string> evicted)
    {
        foreach (var name in evicted) await DropQuietlyAsync(name);
        var spare = nameFor(layer);
        var made = false;
        try
        {
            if (!_stopping.IsCancellationRequested)
            {
                await create(layer, spare, _stopping.Token);
                made = true;
            }
        }
        catch (Exception)
        {
            // No spare this time (the layer was dropped, the server is busy or stopping): jobs copy the layer themselves.
        }
        var kept = false;
        lock (_lock)
        {
            spares.Filling--;
            if (made && !_stopping.IsCancellationRequested && IsCurrent(layer, spares))
            {
                spares.Ready.Enqueue(spare);
                kept = true;
            }
            Signal(spares);
        }
        if (!kept) await DropQuietlyAsync(spare);
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
            fillers = _fills.ToList();
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

        /// <summary>How many copies are being made now.</summary>
        public int Filling { get; set; }

        /// <summary>Completed (and replaced) whenever a copy ends, made or not: what a waiting job waits on.</summary>
        public TaskCompletionSource Changed { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long UsedAt { get; set; }
    }
}
