using Pipekit.Chains.Layers;

namespace Pipekit.Chains.Tests.Fixtures;

/// <summary>Layer metadata held in memory, for the engine tests written before the state store's layer table existed.</summary>
internal sealed class InMemoryLayerCatalog : ILayerCatalog
{
    private readonly Lock _gate = new();
    private readonly List<LayerRecord> _layers = [];
    private long _nextId;

    public Task<IReadOnlyList<LayerRecord>> FindAsync(string engine, IReadOnlyCollection<string> stateHashes, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<LayerRecord>>(_layers.Where(l => l.Engine == engine && stateHashes.Contains(l.StateHash)).ToList());
    }

    public Task<IReadOnlyList<LayerRecord>> ListAsync(string? engine, CancellationToken cancellationToken)
    {
        lock (_gate) return Task.FromResult<IReadOnlyList<LayerRecord>>(_layers.Where(l => engine is null || l.Engine == engine).ToList());
    }

    public Task<LayerRecord> AddAsync(LayerRecord layer, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_layers.FirstOrDefault(l => l.Engine == layer.Engine && l.StateHash == layer.StateHash) is { } existing) return Task.FromResult(existing);
            var stored = layer with { Id = ++_nextId };
            _layers.Add(stored);
            return Task.FromResult(stored);
        }
    }

    public Task TouchAsync(IReadOnlyCollection<long> ids, DateTimeOffset at, bool hit, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            for (var i = 0; i < _layers.Count; i++)
                if (ids.Contains(_layers[i].Id)) _layers[i] = _layers[i] with { LastUsedAt = at, Hits = _layers[i].Hits + (hit ? 1 : 0) };
        }
        return Task.CompletedTask;
    }

    public Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        lock (_gate) _layers.RemoveAll(l => l.Id == id);
        return Task.CompletedTask;
    }
}
