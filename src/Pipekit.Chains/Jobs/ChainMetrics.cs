using System.Diagnostics.Metrics;

namespace Pipekit.Chains.Jobs;

/// <summary>
/// The chains instruments (meter <see cref="MeterName"/>): jobs by final status (cancel and timeout counts among
/// them), cache lookups by hit or miss, cold and warm prepare time, head duration, replayed steps, GC evictions,
/// and the layer count and bytes as of the last look at the catalog.
/// </summary>
public sealed class ChainMetrics
{
    public const string MeterName = "Pipekit.Chains";

    private readonly Counter<long>? _jobs;
    private readonly Counter<long>? _lookups;
    private readonly Histogram<double>? _prepare;
    private readonly Histogram<double>? _head;
    private readonly Counter<long>? _replayed;
    private readonly Counter<long>? _evictions;
    private long _layers;
    private long _layerBytes;

    public ChainMetrics(IMeterFactory? meters = null)
    {
        if (meters is null) return;
        var meter = meters.Create(MeterName);
        _jobs = meter.CreateCounter<long>("pipekit_chain_jobs", description: "Chain jobs finished, by status (completed, failed, timed_out, canceled)");
        _lookups = meter.CreateCounter<long>("pipekit_chain_cache_lookups", description: "Tail snapshot lookups, by cache=hit|miss");
        _prepare = meter.CreateHistogram<double>("pipekit_chain_prepare_duration", unit: "s", description: "Snapshot lookup, replay and instance boot, by prepare=cold|warm");
        _head = meter.CreateHistogram<double>("pipekit_chain_head_duration", unit: "s", description: "Head execution time");
        _replayed = meter.CreateCounter<long>("pipekit_chain_steps_replayed", description: "Tail steps executed to build layers");
        _evictions = meter.CreateCounter<long>("pipekit_chain_gc_evictions", description: "Layers dropped by GC, by reason=ttl|size|missing");
        meter.CreateObservableGauge("pipekit_chain_layers", () => Interlocked.Read(ref _layers), description: "Layers in the cache");
        meter.CreateObservableGauge("pipekit_chain_layer_bytes", () => Interlocked.Read(ref _layerBytes), description: "Total bytes of the cached layers");
    }

    public void JobFinished(string status) => _jobs?.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Lookup(bool hit) => _lookups?.Add(1, new KeyValuePair<string, object?>("cache", hit ? "hit" : "miss"));

    public void Prepared(bool warm, TimeSpan duration) =>
        _prepare?.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("prepare", warm ? "warm" : "cold"));

    public void HeadRan(TimeSpan duration) => _head?.Record(duration.TotalSeconds);

    public void Replayed(int steps)
    {
        if (steps > 0) _replayed?.Add(steps);
    }

    public void Evicted(string reason) => _evictions?.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void LayersSeen(long count, long bytes)
    {
        Interlocked.Exchange(ref _layers, count);
        Interlocked.Exchange(ref _layerBytes, bytes);
    }
}
