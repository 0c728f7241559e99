using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipekit.Chains.Engines;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Layers;
using Pipekit.Chains.State;
using Pipekit.Core.Configuration;

namespace Pipekit.Chains.Collection;

/// <summary>
/// One GC pass: deletes ended jobs past their <c>job_ttl</c>; drops layers unused for <c>snapshot_ttl</c> (or
/// longer when a job asked for a longer <c>snapshot_ttl</c>); then evicts the least recently used layers while the
/// cache is over <c>max_layer_bytes</c>; drops kept instances whose time is up; removes builds, instances and spare
/// clones that a stopped process left behind; and fails the jobs of servers that stopped (their lease lapsed).
/// A layer a live job stands on — pinned in this process, claimed in the store by a run on any node (from finding it
/// until cloning from it), or recorded on an unfinished job — is never dropped: a layer's row is deleted, in one
/// transaction that locks it and finds no claim and no live job, before its database is dropped.
/// </summary>
public sealed class LayerCollector
{
    private static readonly TimeSpan LeftoverAge = TimeSpan.FromHours(1);

    private readonly ILayerCatalog _layers;
    private readonly ChainJobRepository _jobs;
    private readonly LayerCache _cache;
    private readonly ChainEngines _engines;
    private readonly ChainsOptions _options;
    private readonly ChainMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<LayerCollector> _logger;
    private readonly Nodes.ChainNode _node;

    internal LayerCollector(ILayerCatalog layers, ChainJobRepository jobs, LayerCache cache, ChainEngines engines, PipekitConfig config,
        ChainMetrics metrics, TimeProvider time, ILogger<LayerCollector> logger, Nodes.ChainNode node)
    {
        _node = node;
        _layers = layers;
        _jobs = jobs;
        _cache = cache;
        _engines = engines;
        _options = config.Chains;
        _metrics = metrics;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// What a pass would do now, without doing it: each layer it would drop (by TTL, or for size in LRU order), and
    /// the layers it keeps because a live job stands on them. The same rules as <see cref="CollectAsync"/>.
    /// </summary>
    public async Task<CollectionPreview> PreviewAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (layers, kept, ttlOf) = await LoadAsync(cancellationToken);
        var drops = new Dictionary<long, string>();
        foreach (var layer in layers.Where(l => !kept(l) && Expired(l, ttlOf(l), now)))
            drops[layer.Id] = TtlReason;
        var remaining = layers.Where(l => !drops.ContainsKey(l.Id)).ToList();
        var total = remaining.Sum(l => l.SizeBytes);
        foreach (var layer in LeastRecentlyUsed(remaining))
        {
            if (total <= _options.MaxLayerBytes) break;
            if (kept(layer)) continue;
            drops[layer.Id] = SizeReason;
            total -= layer.SizeBytes;
        }
        return new CollectionPreview(drops, layers.Where(kept).Select(l => l.Id).ToHashSet(),
            layers.ToDictionary(l => l.Id, l => l.LastUsedAt.AddSeconds(ttlOf(l))), _options.MaxLayerBytes);
    }

    public async Task<CollectionReport> CollectAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var jobsFailed = await _jobs.FailLapsedAsync(_node, now, cancellationToken);
        var instancesDropped = await DropKeptInstancesAsync(now, cancellationToken);
        var jobsDeleted = await _jobs.DeleteExpiredAsync(now, cancellationToken);
        await _layers.ReleaseLapsedAsync(now, cancellationToken);
        var (layers, kept, ttlOf) = await LoadAsync(cancellationToken);

        int expired = 0, evicted = 0, missing = 0;
        long freed = 0;
        foreach (var layer in layers.ToList())
        {
            if (!Expired(layer, ttlOf(layer), now) || kept(layer)) continue;
            switch (await DropAsync(layer, cancellationToken))
            {
                case true: expired++; freed += layer.SizeBytes; layers.Remove(layer); _metrics.Evicted("ttl"); break;
                case null: missing++; layers.Remove(layer); _metrics.Evicted("missing"); break;
            }
        }

        var total = layers.Sum(l => l.SizeBytes);
        foreach (var layer in LeastRecentlyUsed(layers))
        {
            if (total <= _options.MaxLayerBytes) break;
            if (kept(layer)) continue;
            if (await DropAsync(layer, cancellationToken) is not false)
            {
                evicted++;
                total -= layer.SizeBytes;
                freed += layer.SizeBytes;
                layers.Remove(layer);
                _metrics.Evicted("size");
            }
        }

        var leftovers = await DropLeftoversAsync(now, layers, cancellationToken);
        _metrics.LayersSeen(layers.Count, total);
        if (jobsDeleted + expired + evicted + missing + leftovers + instancesDropped + jobsFailed > 0)
            _logger.LogInformation("Chains GC: {Jobs} job(s) deleted, {Expired} layer(s) expired, {Evicted} evicted for size, {Leftovers} leftover database(s) dropped, "
                + "{Instances} kept instance(s) dropped, {Failed} job(s) of stopped servers failed",
                jobsDeleted, expired, evicted, leftovers, instancesDropped, jobsFailed);
        return new CollectionReport(jobsDeleted, expired, evicted, missing, leftovers, freed, layers.Count, total, instancesDropped, jobsFailed);
    }

    /// <summary>Drops the instances jobs kept whose snapshot_ttl is up; one whose engine is not configured here is left to a node that has it.</summary>
    private async Task<int> DropKeptInstancesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var dropped = 0;
        foreach (var (id, engineKind, name) in await _jobs.KeptInstancesAsync(now, cancellationToken))
        {
            try
            {
                var engine = _engines.Resolve(engineKind);
                await engine.DropInstanceAsync(name, cancellationToken);
                await _jobs.MarkInstanceDroppedAsync(id, _time.GetUtcNow(), cancellationToken);
                dropped++;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning("Could not drop the kept instance {Instance} of job {JobId} now: {Error}", Path.GetFileName(name), id, ex.Message);
            }
        }
        return dropped;
    }

    private const string TtlReason = "ttl";
    private const string SizeReason = "size";

    /// <summary>The layers, which ones a live job stands on (in this process or on an unfinished job in the store), and each one's TTL in seconds.</summary>
    private async Task<(List<LayerRecord> Layers, Func<LayerRecord, bool> Kept, Func<LayerRecord, int> TtlOf)> LoadAsync(CancellationToken cancellationToken)
    {
        var live = (await _jobs.LiveLayerIdsAsync(cancellationToken)).ToHashSet();
        live.UnionWith(await _layers.ClaimedAsync(_time.GetUtcNow(), cancellationToken));
        var ttls = await _jobs.SnapshotTtlsAsync(cancellationToken);
        var layers = (await _layers.ListAsync(null, cancellationToken)).ToList();
        return (layers, l => live.Contains(l.Id) || _cache.IsPinned(l.StoreName), l => Math.Max(_options.SnapshotTtl, ttls.GetValueOrDefault(l.Id)));
    }

    private static bool Expired(LayerRecord layer, int ttlSeconds, DateTimeOffset now) => layer.LastUsedAt.AddSeconds(ttlSeconds) < now;

    private static List<LayerRecord> LeastRecentlyUsed(IEnumerable<LayerRecord> layers) => layers.OrderBy(l => l.LastUsedAt).ThenBy(l => l.Id).ToList();

    /// <summary>
    /// True when dropped, null when it was already gone (its row is removed either way), false when it could not be
    /// dropped now: a run on some node claimed it (or a job recorded it) since the pass looked, or the drop failed.
    /// The row goes first, atomically with the check; a database whose drop then fails stays unrecorded, and the next
    /// build of the same state adopts it (its publish finds it in place).
    /// </summary>
    private async Task<bool?> DropAsync(LayerRecord layer, CancellationToken cancellationToken)
    {
        IChainEngine engine;
        try
        {
            engine = _engines.Resolve(layer.Engine);
        }
        catch (Projects.ChainInputException)
        {
            return false; // its engine is not configured here (another node's PostgreSQL): not ours to drop
        }
        try
        {
            if (!await _layers.DeleteUnclaimedAsync(layer.Id, _time.GetUtcNow(), cancellationToken)) return false;
            var existed = await engine.LayerExistsAsync(layer.StoreName, cancellationToken);
            if (existed) await engine.DropLayerAsync(layer.StoreName, cancellationToken);
            return existed ? true : null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning("Could not drop layer {Layer} now: {Error}", layer.StoreName, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Builds older than an hour, instances of jobs that have ended (unless kept), and spare clones older than an hour
    /// or whose layer is gone: what a killed process leaves.
    /// </summary>
    private async Task<int> DropLeftoversAsync(DateTimeOffset now, List<LayerRecord> layers, CancellationToken cancellationToken)
    {
        var unfinished = (await _jobs.UnfinishedIdsAsync(cancellationToken)).ToHashSet();
        foreach (var (id, _, _) in await _jobs.KeptInstancesAsync(null, cancellationToken)) unfinished.Add(id);
        var layerNames = layers.Select(l => l.StoreName).ToHashSet(StringComparer.Ordinal);
        var dropped = 0;
        foreach (var kind in _engines.Available)
        {
            var engine = _engines.Resolve(kind);
            if (engine is PostgresChainEngine postgres)
            {
                IReadOnlyList<string> names;
                try
                {
                    names = await postgres.ListDatabasesAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning("Chains GC could not list databases: {Error}", ex.Message);
                    continue;
                }
                foreach (var name in names.Where(n => IsLeftover(n, now, unfinished) || IsStaleSpare(n, now, layerNames)))
                {
                    try { await postgres.DropDatabaseAsync(name, cancellationToken); dropped++; }
                    catch (Exception ex) when (ex is not OperationCanceledException) { _logger.LogWarning("Could not drop {Database}: {Error}", name, ex.Message); }
                }
            }
            else if (engine is FileChainEngine files && Directory.Exists(Path.GetDirectoryName(files.WorkPath("x"))))
            {
                foreach (var path in Directory.EnumerateFiles(Path.GetDirectoryName(files.WorkPath("x"))!))
                {
                    var name = Path.GetFileName(path).Split('.')[0];
                    if (!IsLeftover(name, now, unfinished) && !(name.StartsWith(PostgresChainEngine.BuildPrefix, StringComparison.Ordinal)
                        && File.GetLastWriteTimeUtc(path) < (now - LeftoverAge).UtcDateTime)) continue;
                    try { File.Delete(path); dropped++; }
                    catch (IOException) { }
                }
            }
        }
        return dropped;
    }

    /// <summary>pks_&lt;24 hex&gt;_&lt;unix seconds&gt;_&lt;random&gt;: a clone made ahead for the next job on layer pkl_&lt;24 hex&gt;.</summary>
    private static bool IsStaleSpare(string name, DateTimeOffset now, IReadOnlySet<string> layerNames)
    {
        if (!name.StartsWith(PostgresChainEngine.SparePrefix, StringComparison.Ordinal)) return false;
        var parts = name.Split('_');
        if (parts.Length < 4 || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return true;
        return DateTimeOffset.FromUnixTimeSeconds(seconds) < now - LeftoverAge || !layerNames.Contains(PostgresChainEngine.LayerPrefix + parts[1]);
    }

    private static bool IsLeftover(string name, DateTimeOffset now, IReadOnlySet<long> unfinished)
    {
        if (name.StartsWith(PostgresChainEngine.InstancePrefix, StringComparison.Ordinal))
        {
            // pkj_<job id>; CLI runs are pkj_cli_… and are dropped by the process that made them unless it died.
            var rest = name[PostgresChainEngine.InstancePrefix.Length..];
            return long.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && !unfinished.Contains(id);
        }
        if (name.StartsWith(PostgresChainEngine.BuildPrefix, StringComparison.Ordinal))
        {
            // pkb_<24 hex>_<unix seconds>_<random>
            var parts = name.Split('_');
            return parts.Length >= 3 && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
                && DateTimeOffset.FromUnixTimeSeconds(seconds) < now - LeftoverAge;
        }
        return false;
    }
}
