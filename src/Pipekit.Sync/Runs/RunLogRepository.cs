using System.Text;
using Dapper;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;

using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Runs;

/// <summary>
/// The <c>run_log</c> table. Every text written here passes through the redactor first, so no secret value
/// can reach the run log whatever an engine's error message contains.
/// </summary>
public sealed class RunLogRepository
{
    // module_name is the name at run start, kept after the module is deleted (module_id is then NULL).
    private const string Select = """
        SELECT r.id, r.module_id, r.module_name, r.group_run_id, r.started_at, r.finished_at, r.duration_ms, r.row_count,
               r.status, r.error, r.triggered_by, r.resolved_source_sql, r.merge_sql, r.watermark_values_json, r.transfer_log,
               r.error_detail, r.hook_log, r.hook_failed, r.live_log, r.schema_changes, r.deleted_rows, r.verify_json, r.drift, r.attempts
        FROM run_log r
        """;

    // Listings show summaries; the long text columns (SQL, logs) are read only for one run.
    private const string SelectSummary = """
        SELECT r.id, r.module_id, r.module_name, r.group_run_id, r.started_at, r.finished_at, r.duration_ms, r.row_count,
               r.status, r.error, r.triggered_by, r.hook_failed, r.deleted_rows, r.drift, r.attempts
        FROM run_log r
        """;

    private readonly StateStore _store;
    private readonly TimeProvider _time;
    private readonly Redactor _redactor;

    public RunLogRepository(StateStore store, TimeProvider time, Redactor redactor)
    {
        _store = store;
        _time = time;
        _redactor = redactor;
    }

    /// <summary>
    /// Creates the row of a run that is starting (or queued) and returns its id. The module's name is copied into the row
    /// by the same statement, so the run keeps it after the module is deleted; a module deleted before this insert is a
    /// <see cref="ModuleNotFoundException"/>, not a foreign-key failure.
    /// </summary>
    public async Task<long> StartAsync(long moduleId, long? groupRunId, string triggeredBy, RunStatus status, string? owner, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO run_log (module_id, module_name, group_run_id, started_at, status, triggered_by, owner)
            SELECT id, name, @groupRunId, @now, @status, @triggeredBy, @owner FROM module WHERE id = @moduleId RETURNING id
            """,
            new { moduleId, groupRunId, now = StateClock.Format(_time.GetUtcNow()), status = status.ToText(), triggeredBy, owner },
            cancellationToken: cancellationToken))
            ?? throw new ModuleNotFoundException($"with id {moduleId} (it was deleted)");
    }

    /// <summary>A queued run got its slot: it starts now.</summary>
    public async Task MarkRunningAsync(long runId, string owner, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE run_log SET status = 'running', started_at = @now, owner = @owner WHERE id = @runId AND status = 'queued'",
            new { runId, owner, now = StateClock.Format(_time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    public async Task AppendLiveLogAsync(long runId, string line, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE run_log SET live_log = live_log || @line WHERE id = @runId",
            new { runId, line = _redactor.Redact(line) + "\n" }, cancellationToken: cancellationToken));
    }

    /// <summary>
    /// Writes the end of a run and, when given, releases the module lock in the same transaction. Not cancellable:
    /// a cancelled run must still be recorded as cancelled.
    /// </summary>
    public async Task FinishAsync(long runId, RunCompletion completion, HeldLock? release = null)
    {
        var now = _time.GetUtcNow();
        await using var c = await _store.OpenAsync(CancellationToken.None);
        await using var tx = await c.BeginTransactionAsync(CancellationToken.None);
        var started = await c.ExecuteScalarAsync<string>("SELECT started_at FROM run_log WHERE id = @runId", new { runId }, tx);
        var duration = started is null ? (long?)null : (long)(now - StateClock.Parse(started)).TotalMilliseconds;
        await c.ExecuteAsync(
            """
            UPDATE run_log SET status = @status, finished_at = @finished, duration_ms = @duration, row_count = @RowCount, error = @Error,
                resolved_source_sql = @ResolvedSourceSql, merge_sql = @MergeSql, watermark_values_json = @WatermarkValuesJson,
                transfer_log = @TransferLog, error_detail = @ErrorDetail, hook_log = @HookLog, hook_failed = @HookFailed,
                schema_changes = @SchemaChanges, deleted_rows = @DeletedRows, verify_json = @VerifyJson, drift = @Drift, attempts = @Attempts
            WHERE id = @runId
            """,
            new
            {
                runId, status = completion.Status.ToText(), finished = StateClock.Format(now), duration, completion.RowCount,
                Error = Redact(completion.Error), ResolvedSourceSql = Redact(completion.ResolvedSourceSql), MergeSql = Redact(completion.MergeSql),
                WatermarkValuesJson = Redact(completion.WatermarkValuesJson), TransferLog = Redact(completion.TransferLog),
                ErrorDetail = Redact(completion.ErrorDetail), HookLog = Redact(completion.HookLog), HookFailed = completion.HookFailed ? 1 : 0,
                SchemaChanges = Redact(completion.SchemaChanges), completion.DeletedRows, VerifyJson = Redact(completion.VerifyJson),
                Drift = completion.Drift ? 1 : 0, completion.Attempts,
            }, tx);
        if (release is not null)
            await ModuleLocks.ReleaseAsync(c, tx, release);
        await tx.CommitAsync(CancellationToken.None);
    }

    public async Task<RunLogEntry?> GetAsync(long runId, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE r.id = @runId", new { runId }, cancellationToken: cancellationToken));
        return row?.ToEntry();
    }

    public async Task<IReadOnlyList<RunLogEntry>> ListAsync(RunFilter filter, CancellationToken cancellationToken)
    {
        var sql = new StringBuilder(filter.IncludeText ? Select : SelectSummary).Append(" WHERE 1 = 1");
        if (filter.ModuleId is not null) sql.Append(" AND r.module_id = @ModuleId");
        if (filter.GroupRunId is not null) sql.Append(" AND r.group_run_id = @GroupRunId");
        if (filter.GroupId is not null) sql.Append(" AND r.group_run_id IN (SELECT id FROM group_run WHERE group_id = @GroupId)");
        if (filter.Status is not null) sql.Append(" AND r.status = @Status");
        if (filter.Since is not null) sql.Append(" AND r.started_at >= @Since");
        if (filter.Before is not null) sql.Append(" AND r.id < @Before");
        var dir = filter.Descending ? "DESC" : "ASC";
        sql.Append(filter.Sort switch
        {
            RunSort.Started => $" ORDER BY r.started_at {dir}, r.id {dir}",
            RunSort.Duration => $" ORDER BY CASE WHEN r.duration_ms IS NULL THEN 1 ELSE 0 END, r.duration_ms {dir}, r.id DESC",
            RunSort.Rows => $" ORDER BY CASE WHEN r.row_count IS NULL THEN 1 ELSE 0 END, r.row_count {dir}, r.id DESC",
            RunSort.Status => $" ORDER BY r.status {dir}, r.id DESC",
            _ => " ORDER BY r.id DESC",
        });
        sql.Append(" LIMIT @Limit");
        if (filter.Sort != RunSort.Newest && filter.Offset > 0) sql.Append(" OFFSET @Offset");
        await using var c = await _store.OpenAsync(cancellationToken);
        var command = new CommandDefinition(sql.ToString(), new
        {
            filter.ModuleId, filter.GroupRunId, filter.GroupId, Status = filter.Status?.ToText(),
            Since = filter.Since is { } s ? StateClock.Format(s) : null, filter.Before, Limit = Math.Clamp(filter.Limit, 1, 1000), Offset = Math.Max(0, filter.Offset),
        }, cancellationToken: cancellationToken);
        return filter.IncludeText
            ? (await c.QueryAsync<Row>(command)).Select(r => r.ToEntry()).ToList()
            : (await c.QueryAsync<SummaryRow>(command)).Select(r => r.ToEntry()).ToList();
    }

    /// <summary>Runs left <c>running</c> or <c>queued</c> by an owner that is gone are marked as interrupted.</summary>
    internal async Task<int> MarkInterruptedAsync(Func<string?, bool> ownerIsGone, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var open = await c.QueryAsync<(long Id, string? Owner)>(new CommandDefinition(
            "SELECT id, owner FROM run_log WHERE status IN ('running', 'queued')", cancellationToken: cancellationToken));
        var count = 0;
        foreach (var (id, owner) in open.Where(r => ownerIsGone(r.Owner)))
        {
            count += await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE run_log SET status = 'error', error = @error, finished_at = @now
                WHERE id = @id AND status IN ('running', 'queued')
                """,
                new { id, error = InterruptedError(owner), now = StateClock.Format(_time.GetUtcNow()) }, cancellationToken: cancellationToken));
        }
        return count;
    }

    /// <summary>The error of a run whose process died without recording its end.</summary>
    internal static string InterruptedError(string? owner) =>
        $"interrupted: the process that ran it ({owner ?? "unknown"}) is gone (killed or crashed); its lock was cleared and the destination left as its last committed merge made it";

    /// <summary>The newest run of a module left open (running or queued) by <paramref name="owner"/>, if any.</summary>
    internal async Task<long?> OpenRunOfAsync(long moduleId, string? owner, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            SELECT id FROM run_log WHERE module_id = @moduleId AND status IN ('running', 'queued') AND owner IS NOT DISTINCT FROM @owner
            ORDER BY id DESC LIMIT 1
            """, new { moduleId, owner }, cancellationToken: cancellationToken));
    }

    private string? Redact(string? text) => text is null ? null : _redactor.Redact(text);

#pragma warning disable IDE1006
    private sealed record Row(long id, long? module_id, string? module_name, long? group_run_id, string started_at, string? finished_at,
        long? duration_ms, long? row_count, string status, string? error, string triggered_by, string? resolved_source_sql, string? merge_sql,
        string? watermark_values_json, string? transfer_log, string? error_detail, string? hook_log, long hook_failed, string live_log,
        string? schema_changes, long? deleted_rows, string? verify_json, long drift, long attempts)
    {
        public RunLogEntry ToEntry() => new()
        {
            Id = id, ModuleId = module_id, ModuleName = module_name, GroupRunId = group_run_id, StartedAt = StateClock.Parse(started_at),
            FinishedAt = finished_at is null ? null : StateClock.Parse(finished_at), DurationMs = duration_ms, RowCount = row_count,
            Status = RunStatusText.Parse(status), Error = error, TriggeredBy = triggered_by, ResolvedSourceSql = resolved_source_sql,
            MergeSql = merge_sql, WatermarkValuesJson = watermark_values_json, TransferLog = transfer_log, ErrorDetail = error_detail,
            HookLog = hook_log, HookFailed = hook_failed != 0, LiveLog = live_log, SchemaChanges = schema_changes, DeletedRows = deleted_rows,
            VerifyJson = verify_json, Drift = drift != 0, Attempts = (int)attempts,
        };
    }

    private sealed record SummaryRow(long id, long? module_id, string? module_name, long? group_run_id, string started_at, string? finished_at,
        long? duration_ms, long? row_count, string status, string? error, string triggered_by, long hook_failed, long? deleted_rows, long drift, long attempts)
    {
        public RunLogEntry ToEntry() =>
            new Row(id, module_id, module_name, group_run_id, started_at, finished_at, duration_ms, row_count, status, error, triggered_by,
                null, null, null, null, null, null, hook_failed, "", null, deleted_rows, null, drift, attempts).ToEntry();
    }
#pragma warning restore IDE1006
}
