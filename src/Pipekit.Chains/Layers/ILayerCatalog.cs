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

    /// <summary>
    /// Claims layer <paramref name="id"/> for <paramref name="holder"/> until <paramref name="expiresAt"/> and marks it used
    /// at <paramref name="now"/> (counting a hit when <paramref name="hit"/>), in one transaction with the layer row
    /// locked. False when the row is gone (another node's GC took the layer first): the layer must not be used.
    /// </summary>
    Task<bool> ClaimAsync(long id, string holder, DateTimeOffset now, DateTimeOffset expiresAt, bool hit, CancellationToken cancellationToken);

    /// <summary>Releases every claim of <paramref name="holder"/>.</summary>
    Task ReleaseAsync(string holder, CancellationToken cancellationToken);

    /// <summary>The ids of the layers with a claim that has not expired at <paramref name="now"/>.</summary>
    Task<IReadOnlySet<long>> ClaimedAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Forgets the claims that expired before <paramref name="now"/> (their holders died); returns how many.</summary>
    Task<int> ReleaseLapsedAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes layer <paramref name="id"/>'s row unless a claim unexpired at <paramref name="now"/> or an unfinished job
    /// stands on it, in one transaction with the row locked (so no claim can slip in between the check and the
    /// delete). True when the row is deleted (or already was): only then may its database be dropped.
    /// </summary>
    Task<bool> DeleteUnclaimedAsync(long id, DateTimeOffset now, CancellationToken cancellationToken);
}
