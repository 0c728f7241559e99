namespace Pipekit.Chains.Collection;

/// <summary>
/// What a GC pass would do now: <see cref="Drops"/> maps a layer id to <c>ttl</c> (unused past its
/// <c>snapshot_ttl</c>) or <c>size</c> (least recently used beyond <see cref="MaxLayerBytes"/>); <see cref="Kept"/>
/// are the layers a live job stands on, never dropped; <see cref="ExpiresAt"/> is when each layer's TTL runs out.
/// </summary>
public sealed record CollectionPreview(IReadOnlyDictionary<long, string> Drops, IReadOnlySet<long> Kept, IReadOnlyDictionary<long, DateTimeOffset> ExpiresAt, long MaxLayerBytes);
