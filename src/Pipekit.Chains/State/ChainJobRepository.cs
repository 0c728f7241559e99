using System.Data.Common;
using System.Text.Json;
using Dapper;
using Pipekit.Chains.Jobs;
using Pipekit.Chains.Layers;
using Pipekit.Chains.Nodes;
using Pipekit.Chains.Projects;
using Pipekit.Chains.Scripts;
using Pipekit.Core.State;

namespace Pipekit.Chains.State;

/// <summary>
/// The <c>chain_job</c>, <c>chain_job_file</c> and <c>chain_job_log</c> tables. A job is claimed for running by a
/// compare-and-swap on <c>started_at</c>, and an append first touches the row under the same condition inside its
/// transaction, so an append and a run never interleave.
/// </summary>
internal sealed class ChainJobRepository(StateStore store)
{
    private const string Select =
        """
        SELECT id AS Id, request_id AS RequestId, user_id AS UserId, status AS Status, stage AS Stage, engine AS Engine,
               head_path AS HeadPath, variables AS Variables, timeout_ms AS TimeoutMs, job_ttl AS JobTtl, snapshot_ttl AS SnapshotTtl,
               webhook_url AS WebhookUrl, telemetry_context AS TelemetryContext, tail_hash AS TailHash, layer_id AS LayerId,
               cache_hit AS CacheHit, miss AS Miss, stages AS Stages, result AS Result, error_message AS ErrorMessage,
               error_sqlstate AS ErrorSqlState, error_path AS ErrorPath, error_line AS ErrorLine, retries AS Retries, created_at AS CreatedAt,
               started_at AS StartedAt, finished_at AS FinishedAt, expires_at AS ExpiresAt, keep_instance AS KeepInstance,
               instance_name AS InstanceName, instance_connect AS InstanceConnect, instance_kept_until AS InstanceKeptUntil,
               instance_dropped_at AS InstanceDroppedAt, owner AS Owner, heartbeat_at AS HeartbeatAt, cancel_requested_at AS CancelRequestedAt
        FROM chain_job
        """;

    /// <summary>
    /// Stores a new job, its files and its first log line in one transaction. A job with <see cref="ChainJob.StartedAt"/>
    /// and <see cref="ChainJob.Owner"/> set is stored already claimed by that node.
    /// </summary>
    public async Task<ChainJob> CreateAsync(ChainJob job, ProjectTree files, string firstLogLine, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        var id = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO chain_job (request_id, user_id, status, stage, engine, head_path, variables, timeout_ms, job_ttl, snapshot_ttl,
                                   webhook_url, telemetry_context, created_at, expires_at, keep_instance, started_at, owner, heartbeat_at)
            VALUES (@RequestId, @UserId, @Status, NULL, @Engine, @HeadPath, @Variables, @TimeoutMs, @JobTtl, @SnapshotTtl,
                    @WebhookUrl, @TelemetryContext, @CreatedAt, @ExpiresAt, @KeepInstance, @StartedAt, @Owner, @StartedAt)
            RETURNING id
            """,
            new
            {
                job.RequestId, job.UserId, job.Status, job.Engine, job.HeadPath, Variables = ChainJson.Write(job.Variables), job.TimeoutMs,
                job.JobTtl, job.SnapshotTtl, job.WebhookUrl, job.TelemetryContext,
                CreatedAt = StateClock.Format(job.CreatedAt), ExpiresAt = StateClock.Format(job.ExpiresAt), KeepInstance = job.KeepInstance ? 1 : 0,
                StartedAt = job.StartedAt is { } started ? StateClock.Format(started) : null, job.Owner,
            }, tx, cancellationToken: cancellationToken));
        await InsertFilesAsync(c, tx, id, files, cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("INSERT INTO chain_job_log (job_id, seq, at, line) VALUES (@id, 1, @at, @line)",
            new { id, at = StateClock.Format(job.CreatedAt), line = firstLogLine }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
        return job with { Id = id };
    }

    /// <summary>Adds files to a job not yet started; a path already there with other content is refused.</summary>
    public async Task AppendAsync(long id, ProjectTree files, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        var touched = await c.ExecuteAsync(new CommandDefinition(
            "UPDATE chain_job SET stage = stage WHERE id = @id AND started_at IS NULL AND status = 'pending'", new { id }, tx,
            cancellationToken: cancellationToken));
        if (touched == 0)
        {
            var exists = await c.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT id FROM chain_job WHERE id = @id", new { id }, tx,
                cancellationToken: cancellationToken));
            throw exists is null ? new ChainJobNotFoundException(id) : new ChainJobConflictException($"job {id} has already started; files can only be appended before POST /v1/jobs/{id}/run");
        }
        var paths = files.Files.Keys.ToArray();
        var existing = (await c.QueryAsync<(string Path, string Content)>(new CommandDefinition(
            $"SELECT path, content FROM chain_job_file WHERE job_id = @id AND {store.In("path", "@paths")}", new { id, paths }, tx,
            cancellationToken: cancellationToken))).ToDictionary(r => r.Path, r => r.Content, StringComparer.Ordinal);
        foreach (var (path, content) in files.Files)
            if (existing.TryGetValue(path, out var stored) && stored != content)
                throw new ChainInputException($"project path '{path}' was already appended with different content");
        var fresh = ProjectTree.From(files.Files.Where(f => !existing.ContainsKey(f.Key)));
        await InsertFilesAsync(c, tx, id, fresh, cancellationToken);
        await tx.CommitAsync(cancellationToken);
    }

    /// <summary>Claims a pending job for running on node <paramref name="owner"/>: true for exactly one caller.</summary>
    public async Task<bool> TryStartAsync(long id, DateTimeOffset now, string owner, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE chain_job SET started_at = @now, owner = @owner, heartbeat_at = @now WHERE id = @id AND started_at IS NULL AND status = 'pending'",
            new { id, now = StateClock.Format(now), owner }, cancellationToken: cancellationToken)) == 1;
    }

    public async Task<ChainJob?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToJob();
    }

    /// <summary>The newest jobs first, at most <paramref name="limit"/>, optionally with one status.</summary>
    public async Task<IReadOnlyList<ChainJob>> ListAsync(string? status, int limit, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"{Select} WHERE @status IS NULL OR status = @status ORDER BY id DESC LIMIT @limit",
            new { status, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToJob()).ToList();
    }

    public async Task<ProjectTree> FilesAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<(string Path, string Content)>(new CommandDefinition(
            "SELECT path, content FROM chain_job_file WHERE job_id = @id", new { id }, cancellationToken: cancellationToken));
        return ProjectTree.From(rows.Select(r => KeyValuePair.Create(r.Path, r.Content)));
    }

    public async Task SetProgressAsync(long id, string status, string? stage, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE chain_job SET status = @status, stage = coalesce(@stage, stage) WHERE id = @id AND status NOT IN ('completed', 'failed', 'canceled')",
            new { id, status, stage }, cancellationToken: cancellationToken));
    }

    /// <summary>Records a job's end; a job already ended keeps its first ending (false).</summary>
    /// <summary>
    /// A kept instance (<see cref="ChainRunOutcome.Kept"/>) is recorded with <paramref name="keptUntil"/>, and the job's
    /// own expiry moves to that time when it was sooner, so the job that says how to reach the instance outlives it.
    /// </summary>
    public async Task<bool> FinishAsync(long id, string status, DateTimeOffset at, ChainRunOutcome? outcome, IReadOnlyList<StageTiming> stages,
        ChainJobError? error, CancellationToken cancellationToken, DateTimeOffset? keptUntil = null)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE chain_job SET status = @status, finished_at = @at, tail_hash = coalesce(@TailHash, tail_hash), layer_id = coalesce(@LayerId, layer_id),
                   cache_hit = coalesce(@CacheHit, cache_hit), miss = coalesce(@Miss, miss), stages = @Stages, result = @Result,
                   error_message = @ErrorMessage, error_sqlstate = @ErrorSqlState, error_path = @ErrorPath, error_line = @ErrorLine,
                   retries = @Retries, instance_name = @InstanceName, instance_connect = @InstanceConnect, instance_kept_until = @KeptUntil,
                   expires_at = CASE WHEN @KeptUntil IS NOT NULL AND expires_at < @KeptUntil THEN @KeptUntil ELSE expires_at END
            WHERE id = @id AND status NOT IN ('completed', 'failed', 'canceled')
            """,
            new
            {
                id, status, at = StateClock.Format(at),
                TailHash = outcome?.Tail.TailHash, LayerId = outcome?.Tail.Layer?.Id,
                CacheHit = outcome is null ? (int?)null : outcome.Tail.Hit ? 1 : 0,
                Miss = outcome?.Tail.Miss is { } miss ? ChainJson.Write(miss) : null,
                Stages = ChainJson.Write(stages), Result = outcome is null ? null : ChainJson.Write(outcome.Result),
                ErrorMessage = error?.Message, ErrorSqlState = error?.SqlState, ErrorPath = error?.Path, ErrorLine = error?.Line,
                Retries = outcome?.Tail.Retries ?? 0,
                InstanceName = outcome?.Kept?.Name, InstanceConnect = outcome?.Kept?.Connect,
                KeptUntil = outcome?.Kept is not null && keptUntil is { } until ? StateClock.Format(until) : null,
            }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Records the tail as soon as it is known, so a running job already shows its hash and hit.</summary>
    public async Task SetTailAsync(long id, TailState tail, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE chain_job SET tail_hash = @TailHash, layer_id = @LayerId, cache_hit = @Hit, miss = @Miss WHERE id = @id",
            new { id, tail.TailHash, LayerId = tail.Layer?.Id, Hit = tail.Hit ? 1 : 0, Miss = tail.Miss is { } m ? ChainJson.Write(m) : null },
            cancellationToken: cancellationToken));
    }

    public async Task<long> AppendLogAsync(long id, DateTimeOffset at, string line, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO chain_job_log (job_id, seq, at, line)
            SELECT @id, coalesce(max(seq), 0) + 1, @at, @line FROM chain_job_log WHERE job_id = @id
            RETURNING seq
            """, new { id, at = StateClock.Format(at), line }, cancellationToken: cancellationToken));
    }

    public async Task<IReadOnlyList<ChainJobLogEntry>> LogsAsync(long id, long after, int limit, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<(long Seq, string At, string Line)>(new CommandDefinition(
            "SELECT seq, at, line FROM chain_job_log WHERE job_id = @id AND seq > @after ORDER BY seq LIMIT @limit",
            new { id, after, limit }, cancellationToken: cancellationToken));
        return rows.Select(r => new ChainJobLogEntry(r.Seq, StateClock.Parse(r.At), r.Line)).ToList();
    }

    /// <summary>Deletes ended jobs whose TTL passed (their files and logs go with them); returns how many.</summary>
    public async Task<int> DeleteExpiredAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        var ids = (await c.QueryAsync<long>(new CommandDefinition(
            """
            SELECT id FROM chain_job WHERE expires_at < @now AND status IN ('completed', 'failed', 'canceled')
                AND (instance_name IS NULL OR instance_dropped_at IS NOT NULL)
            """,
            new { now = StateClock.Format(now) }, tx, cancellationToken: cancellationToken))).ToList();
        foreach (var chunk in ids.Chunk(500))
        {
            await c.ExecuteAsync(new CommandDefinition($"DELETE FROM chain_job_log WHERE {store.In("job_id", "@chunk")}", new { chunk }, tx, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition($"DELETE FROM chain_job_file WHERE {store.In("job_id", "@chunk")}", new { chunk }, tx, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition($"DELETE FROM chain_job WHERE {store.In("id", "@chunk")}", new { chunk }, tx, cancellationToken: cancellationToken));
        }
        await tx.CommitAsync(cancellationToken);
        return ids.Count;
    }

    /// <summary>The layers that jobs not yet ended stand on (in any process): GC keeps them.</summary>
    public async Task<IReadOnlySet<long>> LiveLayerIdsAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var ids = await c.QueryAsync<long>(new CommandDefinition(
            "SELECT layer_id FROM chain_job WHERE layer_id IS NOT NULL AND status NOT IN ('completed', 'failed', 'canceled')",
            cancellationToken: cancellationToken));
        return ids.ToHashSet();
    }

    /// <summary>The longest snapshot_ttl any stored job asked for, per layer it stood on.</summary>
    public async Task<IReadOnlyDictionary<long, int>> SnapshotTtlsAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<(long LayerId, long Ttl)>(new CommandDefinition(
            "SELECT layer_id, max(snapshot_ttl) FROM chain_job WHERE layer_id IS NOT NULL AND snapshot_ttl IS NOT NULL GROUP BY layer_id",
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.LayerId, r => (int)r.Ttl);
    }

    /// <summary>Ids of the jobs that have not ended, for GC of instances left behind.</summary>
    public async Task<IReadOnlySet<long>> UnfinishedIdsAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var ids = await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM chain_job WHERE status NOT IN ('completed', 'failed', 'canceled')", cancellationToken: cancellationToken));
        return ids.ToHashSet();
    }

    /// <summary>
    /// Marks as failed the jobs whose owner has lapsed (<see cref="ChainNode.IsLapsed"/>: no heartbeat within the lease, or
    /// a process on this host that is gone). Jobs of live nodes, this one included, are left alone. Returns how many.
    /// </summary>
    public async Task<int> FailLapsedAsync(ChainNode node, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var candidates = await c.QueryAsync<(long Id, string? Owner, string? HeartbeatAt)>(new CommandDefinition(
            """
            SELECT id, owner, heartbeat_at FROM chain_job
            WHERE status IN ('preparing', 'running', 'publishing') OR (status = 'pending' AND started_at IS NOT NULL)
            """, cancellationToken: cancellationToken));
        var failed = 0;
        foreach (var (id, owner, heartbeat) in candidates)
        {
            if (owner == node.Id || !node.IsLapsed(owner, heartbeat is null ? null : StateClock.Parse(heartbeat), now)) continue;
            // Compare-and-swap on the heartbeat: an owner that renewed meanwhile keeps its job.
            failed += await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE chain_job SET status = 'failed', finished_at = @now,
                       error_message = 'the server running the job stopped (no heartbeat within its lease); run it again'
                WHERE id = @id AND status NOT IN ('completed', 'failed', 'canceled')
                  AND owner IS NOT DISTINCT FROM @owner AND heartbeat_at IS NOT DISTINCT FROM @heartbeat
                """, new { id, owner, heartbeat, now = StateClock.Format(now) }, cancellationToken: cancellationToken));
        }
        return failed;
    }

    /// <summary>Renews the heartbeat of every unfinished job <paramref name="owner"/> runs.</summary>
    public async Task HeartbeatAsync(string owner, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE chain_job SET heartbeat_at = @now WHERE owner = @owner AND status NOT IN ('completed', 'failed', 'canceled')",
            new { owner, now = StateClock.Format(now) }, cancellationToken: cancellationToken));
    }

    /// <summary>Records a cancel for the node that runs job <paramref name="id"/>; false when the job already ended.</summary>
    public async Task<bool> RequestCancelAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE chain_job SET cancel_requested_at = @now WHERE id = @id AND status NOT IN ('completed', 'failed', 'canceled')",
            new { id, now = StateClock.Format(now) }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>The unfinished jobs of <paramref name="owner"/> that another node asked to cancel.</summary>
    public async Task<IReadOnlyList<long>> CancelRequestsAsync(string owner, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return (await c.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM chain_job WHERE owner = @owner AND cancel_requested_at IS NOT NULL AND status NOT IN ('completed', 'failed', 'canceled')",
            new { owner }, cancellationToken: cancellationToken))).ToList();
    }

    /// <summary>Cancels a job nobody has started: true when it was still unstarted.</summary>
    public async Task<bool> CancelUnstartedAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            """
            UPDATE chain_job SET status = 'canceled', finished_at = @now, error_message = 'canceled before it ran'
            WHERE id = @id AND status = 'pending' AND started_at IS NULL
            """, new { id, now = StateClock.Format(now) }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Kept instances not dropped yet: every one (for GC's leftover pass), or only those due at <paramref name="dueBy"/>.</summary>
    public async Task<IReadOnlyList<(long Id, string Engine, string Name)>> KeptInstancesAsync(DateTimeOffset? dueBy, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return (await c.QueryAsync<(long, string, string)>(new CommandDefinition(
            """
            SELECT id, engine, instance_name FROM chain_job
            WHERE instance_name IS NOT NULL AND instance_dropped_at IS NULL AND (@due IS NULL OR instance_kept_until < @due)
            """, new { due = dueBy is { } d ? StateClock.Format(d) : null }, cancellationToken: cancellationToken))).ToList();
    }

    public async Task MarkInstanceDroppedAsync(long id, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("UPDATE chain_job SET instance_dropped_at = @now WHERE id = @id AND instance_dropped_at IS NULL",
            new { id, now = StateClock.Format(now) }, cancellationToken: cancellationToken));
    }

    private static async Task InsertFilesAsync(DbConnection c, DbTransaction tx, long id, ProjectTree files, CancellationToken cancellationToken)
    {
        if (files.Count == 0) return;
        await c.ExecuteAsync(new CommandDefinition("INSERT INTO chain_job_file (job_id, path, content, etag) VALUES (@id, @Path, @Content, NULL)",
            files.Files.Select(f => new { id, Path = f.Key, Content = f.Value }), tx, cancellationToken: cancellationToken));
    }

    private sealed class Row
    {
        public long Id { get; init; }
        public string? RequestId { get; init; }
        public string? UserId { get; init; }
        public string Status { get; init; } = "";
        public string? Stage { get; init; }
        public string Engine { get; init; } = "";
        public string HeadPath { get; init; } = "";
        public string Variables { get; init; } = "{}";
        public long? TimeoutMs { get; init; }
        public long JobTtl { get; init; }
        public long? SnapshotTtl { get; init; }
        public string? WebhookUrl { get; init; }
        public string? TelemetryContext { get; init; }
        public string? TailHash { get; init; }
        public long? LayerId { get; init; }
        public long? CacheHit { get; init; }
        public string? Miss { get; init; }
        public string? Stages { get; init; }
        public string? Result { get; init; }
        public string? ErrorMessage { get; init; }
        public string? ErrorSqlState { get; init; }
        public string? ErrorPath { get; init; }
        public long? ErrorLine { get; init; }
        public long Retries { get; init; }
        public string CreatedAt { get; init; } = "";
        public string? StartedAt { get; init; }
        public string? FinishedAt { get; init; }
        public string ExpiresAt { get; init; } = "";
        public long KeepInstance { get; init; }
        public string? InstanceName { get; init; }
        public string? InstanceConnect { get; init; }
        public string? InstanceKeptUntil { get; init; }
        public string? InstanceDroppedAt { get; init; }
        public string? Owner { get; init; }
        public string? HeartbeatAt { get; init; }
        public string? CancelRequestedAt { get; init; }

        public ChainJob ToJob() => new()
        {
            Id = Id, RequestId = RequestId, UserId = UserId, Status = Status, Stage = Stage, Engine = Engine, HeadPath = HeadPath,
            Variables = (ChainJson.Read<Dictionary<string, JsonElement>>(Variables) ?? []).ToDictionary(v => v.Key, v => ChainJson.Plain(v.Value)),
            TimeoutMs = (int?)TimeoutMs, JobTtl = (int)JobTtl, SnapshotTtl = (int?)SnapshotTtl, WebhookUrl = WebhookUrl,
            TelemetryContext = TelemetryContext, TailHash = TailHash, LayerId = LayerId, CacheHit = CacheHit is null ? null : CacheHit == 1,
            Miss = ChainJson.Read<MissReason>(Miss), Stages = ChainJson.Read<List<StageTiming>>(Stages) ?? [],
            Result = ChainJson.Read<ChainResult>(Result),
            Error = ErrorMessage is null ? null : new ChainJobError(ErrorMessage, ErrorSqlState, ErrorPath, (int?)ErrorLine),
            Retries = (int)Retries,
            CreatedAt = StateClock.Parse(CreatedAt), StartedAt = StartedAt is null ? null : StateClock.Parse(StartedAt),
            FinishedAt = FinishedAt is null ? null : StateClock.Parse(FinishedAt), ExpiresAt = StateClock.Parse(ExpiresAt),
            KeepInstance = KeepInstance == 1,
            Instance = InstanceName is null ? null : new KeptInstance(InstanceName, InstanceConnect ?? InstanceName),
            InstanceKeptUntil = Time(InstanceKeptUntil), InstanceDroppedAt = Time(InstanceDroppedAt),
            Owner = Owner, HeartbeatAt = Time(HeartbeatAt), CancelRequestedAt = Time(CancelRequestedAt),
        };

        private static DateTimeOffset? Time(string? value) => value is null ? null : StateClock.Parse(value);
    }
}
