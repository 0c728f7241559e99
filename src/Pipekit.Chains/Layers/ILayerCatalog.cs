namespace Pipekit.Chains.Layers;

/// <summary>The layer table: which states are cached, where, how big, and how often used.</summary>
public interface ILayerCatalog
{
    /// <summary>The layers of <paramref name="engine"/> among <paramref name="stateHashes"/>.</summary>
    Task<IReadOnlyList<LayerRecord>> FindAsync(string engine, IReadOnlyCollection<string> stateHashes, CancellationToken cancellationToken);

    /// <summary>Every layer, or every layer of one engine.</summary>
    Task<IReadOnlyList<LayerRecord>> ListAsync(string? engine, CancellationToken cancellationToken);

    /// <summary>Records a published layer; when the state is already recorded, returns the existing row.</summary>
    Task<LayerRecord> AddAsync(LayerRecord layer, CancellationToken cancellationToken);

    /// <summary>Marks layers used now; <paramref name="hit"/> also counts a cache hit on each.</summary>
    Task TouchAsync(IReadOnlyCollection<long> ids, DateTimeOffset at, bool hit, CancellationToken cancellationToken);

    Task DeleteAsync(long id, CancellationToken cancellationToken);
}
