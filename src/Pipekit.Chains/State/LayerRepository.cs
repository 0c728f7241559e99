using Dapper;
using Pipekit.Chains.Layers;
using Pipekit.Core.State;

namespace Pipekit.Chains.State;

/// <summary>The <c>layer</c> table.</summary>
internal sealed class LayerRepository(StateStore store) : ILayerCatalog
{
    private const string Select =
        """
        SELECT id AS Id, engine AS Engine, state_hash AS StateHash, parent_hash AS ParentHash, base_hash AS BaseHash,
               store_name AS StoreName, step_index AS StepIndex, step_path AS StepPath, content_hash AS ContentHash,
               fingerprint AS Fingerprint, size_bytes AS SizeBytes, created_at AS CreatedAt, last_used_at AS LastUsedAt, hits AS Hits
        FROM layer
        """;

    public async Task<IReadOnlyList<LayerRecord>> FindAsync(string engine, IReadOnlyCollection<string> stateHashes, CancellationToken cancellationToken)
    {
        if (stateHashes.Count == 0) return [];
        await using var c = await store.OpenAsync(cancellationToken);
        var found = new List<LayerRecord>();
        // Chunked: a long tail must not run into a store's limit on parameters.
        foreach (var chunk in stateHashes.Chunk(500))
        {
            var rows = await c.QueryAsync<Row>(new CommandDefinition($"{Select} WHERE engine = @engine AND {store.In("state_hash", "@chunk")}",
                new { engine, chunk }, cancellationToken: cancellationToken));
            found.AddRange(rows.Select(r => r.ToRecord()));
        }
        return found;
    }

    public async Task<IReadOnlyList<LayerRecord>> ListAsync(string? engine, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"{Select} WHERE @engine IS NULL OR engine = @engine ORDER BY id",
            new { engine }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    public async Task<LayerRecord> AddAsync(LayerRecord layer, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var id = await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO layer (engine, state_hash, parent_hash, base_hash, store_name, step_index, step_path, content_hash, fingerprint,
                               size_bytes, created_at, last_used_at, hits)
            VALUES (@Engine, @StateHash, @ParentHash, @BaseHash, @StoreName, @StepIndex, @StepPath, @ContentHash, @Fingerprint,
                    @SizeBytes, @CreatedAt, @LastUsedAt, 0)
            ON CONFLICT (engine, state_hash) DO NOTHING
            RETURNING id
            """,
            new
            {
                layer.Engine, layer.StateHash, layer.ParentHash, layer.BaseHash, layer.StoreName, layer.StepIndex, layer.StepPath,
                layer.ContentHash, layer.Fingerprint, layer.SizeBytes,
                CreatedAt = StateClock.Format(layer.CreatedAt), LastUsedAt = StateClock.Format(layer.LastUsedAt),
            }, cancellationToken: cancellationToken));
        if (id is { } inserted) return layer with { Id = inserted, Hits = 0 };
        var existing = await c.QuerySingleAsync<Row>(new CommandDefinition($"{Select} WHERE engine = @Engine AND state_hash = @StateHash",
            new { layer.Engine, layer.StateHash }, cancellationToken: cancellationToken));
        return existing.ToRecord();
    }

    public async Task TouchAsync(IReadOnlyCollection<long> ids, DateTimeOffset at, bool hit, CancellationToken cancellationToken)
    {
        if (ids.Count == 0) return;
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition($"UPDATE layer SET last_used_at = @at, hits = hits + @hit WHERE {store.In("id", "@ids")}",
            new { at = StateClock.Format(at), hit = hit ? 1 : 0, ids = ids.ToArray() }, cancellationToken: cancellationToken));
    }

    public async Task DeleteAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM layer WHERE id = @id", new { id }, cancellationToken: cancellationToken));
    }

    public Task<bool> ClaimAsync(long id, string holder, DateTimeOffset now, DateTimeOffset expiresAt, bool hit, CancellationToken cancellationToken) =>
        store.WriteAsync(async (c, tx) =>
        {
            // The UPDATE locks the row (and waits for a GC that locked it first): no row, no claim.
            var touched = await c.ExecuteAsync(new CommandDefinition("UPDATE layer SET last_used_at = @at, hits = hits + @hit WHERE id = @id",
                new { id, at = StateClock.Format(now), hit = hit ? 1 : 0 }, tx, cancellationToken: cancellationToken));
            if (touched == 0) return false;
            await c.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO chain_layer_claim (layer_id, holder, expires_at) VALUES (@id, @holder, @expires)
                ON CONFLICT (layer_id, holder) DO UPDATE SET expires_at = excluded.expires_at
                """,
                new { id, holder, expires = StateClock.Format(expiresAt) }, tx, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);

    public async Task ReleaseAsync(string holder, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("DELETE FROM chain_layer_claim WHERE holder = @holder", new { holder }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlySet<long>> ClaimedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return (await c.QueryAsync<long>(new CommandDefinition("SELECT DISTINCT layer_id FROM chain_layer_claim WHERE expires_at >= @now",
            new { now = StateClock.Format(now) }, cancellationToken: cancellationToken))).ToHashSet();
    }

    public async Task<int> ReleaseLapsedAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM chain_layer_claim WHERE expires_at < @now",
            new { now = StateClock.Format(now) }, cancellationToken: cancellationToken));
    }

    public Task<bool> DeleteUnclaimedAsync(long id, DateTimeOffset now, CancellationToken cancellationToken) =>
        store.WriteAsync(async (c, tx) =>
        {
            // Lock first, then look: on PostgreSQL each statement reads as of its start, so a claim committed while
            // this waited for the lock is seen; on SQLite the write transaction excludes the claimer altogether.
            var row = await c.ExecuteScalarAsync<long?>(new CommandDefinition($"SELECT id FROM layer WHERE id = @id{store.LockForUpdate}",
                new { id }, tx, cancellationToken: cancellationToken));
            if (row is null) return true;
            var held = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                SELECT (SELECT count(*) FROM chain_layer_claim WHERE layer_id = @id AND expires_at >= @now)
                     + (SELECT count(*) FROM chain_job WHERE layer_id = @id AND status NOT IN ('completed', 'failed', 'canceled'))
                """,
                new { id, now = StateClock.Format(now) }, tx, cancellationToken: cancellationToken));
            if (held > 0) return false;
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM chain_layer_claim WHERE layer_id = @id", new { id }, tx, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition("DELETE FROM layer WHERE id = @id", new { id }, tx, cancellationToken: cancellationToken));
            return true;
        }, cancellationToken);

    private sealed class Row
    {
        public long Id { get; init; }
        public string Engine { get; init; } = "";
        public string StateHash { get; init; } = "";
        public string ParentHash { get; init; } = "";
        public string BaseHash { get; init; } = "";
        public string StoreName { get; init; } = "";
        public long StepIndex { get; init; }
        public string StepPath { get; init; } = "";
        public string ContentHash { get; init; } = "";
        public string Fingerprint { get; init; } = "";
        public long SizeBytes { get; init; }
        public string CreatedAt { get; init; } = "";
        public string LastUsedAt { get; init; } = "";
        public long Hits { get; init; }

        public LayerRecord ToRecord() => new()
        {
            Id = Id, Engine = Engine, StateHash = StateHash, ParentHash = ParentHash, BaseHash = BaseHash, StoreName = StoreName,
            StepIndex = (int)StepIndex, StepPath = StepPath, ContentHash = ContentHash, Fingerprint = Fingerprint, SizeBytes = SizeBytes,
            CreatedAt = StateClock.Parse(CreatedAt), LastUsedAt = StateClock.Parse(LastUsedAt), Hits = Hits,
        };
    }
}
