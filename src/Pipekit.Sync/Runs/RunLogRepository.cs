using System.Data.Common;
using System.Text;
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
    // Both column lists are read by ordinal (Read, ReadSummary): the summary's first 11 columns are the full list's.
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
        return await c.Int64Async(
            """
            INSERT INTO run_log (module_id, module_name, group_run_id, started_at, status, triggered_by, owner)
            SELECT id, name, @groupRunId, @now, @status, @triggeredBy, @owner FROM module WHERE id = @moduleId RETURNING id
            """,
            new StateArgs
            {
                { "moduleId", moduleId }, { "groupRunId", groupRunId }, { "now", StateClock.Format(_time.GetUtcNow()) }, { "status", status.ToText() },
                { "triggeredBy", triggeredBy }, { "owner", owner },
            },
            null, cancellationToken)
            ?? throw new ModuleNotFoundException($"with id {moduleId} (it was deleted)");
    }

    /// <summary>A queued run got its slot: it starts now.</summary>
    public async Task MarkRunningAsync(long runId, string owner, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecAsync(
            "UPDATE run_log SET status = 'running', started_at = @now, owner = @owner WHERE id = @runId AND status = 'queued'",
            new StateArgs { { "runId", runId }, { "owner", owner }, { "now", StateClock.Format(_time.GetUtcNow()) } }, null, cancellationToken);
    }

    public async Task AppendLiveLogAsync(long runId, string line, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecAsync("UPDATE run_log SET live_log = live_log || @line WHERE id = @runId",
            new StateArgs { { "runId", runId }, { "line", _redactor.Redact(line) + "\n" } }, null, cancellationToken);
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
        var started = await c.TextAsync("SELECT started_at FROM run_log WHERE id = @runId", new StateArgs { { "runId", runId } }, tx, CancellationToken.None);
        var duration = started is null ? (long?)null : (long)(now - StateClock.Parse(started)).TotalMilliseconds;
        await c.ExecAsync(
            """
            UPDATE run_log SET status = @status, finished_at = @finished, duration_ms = @duration, row_count = @RowCount, error = @Error,
                resolved_source_sql = @ResolvedSourceSql, merge_sql = @MergeSql, watermark_values_json = @WatermarkValuesJson,
                transfer_log = @TransferLog, error_detail = @ErrorDetail, hook_log = @HookLog, hook_failed = @HookFailed,
                schema_changes = @SchemaChanges, deleted_rows = @DeletedRows, verify_json = @VerifyJson, drift = @Drift, attempts = @Attempts
            WHERE id = @runId
            """,
            new StateArgs
            {
                { "runId", runId }, { "status", completion.Status.ToText() }, { "finished", StateClock.Format(now) }, { "duration", duration },
                { "RowCount", completion.RowCount }, { "Error", Redact(completion.Error) }, { "ResolvedSourceSql", Redact(completion.ResolvedSourceSql) },
                { "MergeSql", Redact(completion.MergeSql) }, { "WatermarkValuesJson", Redact(completion.WatermarkValuesJson) },
                { "TransferLog", Redact(completion.TransferLog) }, { "ErrorDetail", Redact(completion.ErrorDetail) }, { "HookLog", Redact(completion.HookLog) },
                { "HookFailed", completion.HookFailed ? 1 : 0 }, { "SchemaChanges", Redact(completion.SchemaChanges) }, { "DeletedRows", completion.DeletedRows },
                { "VerifyJson", Redact(completion.VerifyJson) }, { "Drift", completion.Drift ? 1 : 0 }, { "Attempts", completion.Attempts },
            }, tx, CancellationToken.None);
        if (release is not null)
            await ModuleLocks.ReleaseAsync(c, tx, release);
        await tx.CommitAsync(CancellationToken.None);
    }

    public async Task<RunLogEntry?> GetAsync(long runId, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.RowAsync($"{Select} WHERE r.id = @runId", new StateArgs { { "runId", runId } }, Read, null, cancellationToken);
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
        var args = new StateArgs { { "Limit", Math.Clamp(filter.Limit, 1, 1000) } };
        if (filter.ModuleId is not null) args.Add("ModuleId", filter.ModuleId);
        if (filter.GroupRunId is not null) args.Add("GroupRunId", filter.GroupRunId);
        if (filter.GroupId is not null) args.Add("GroupId", filter.GroupId);
        if (filter.Status is { } status) args.Add("Status", status.ToText());
        if (filter.Since is { } since) args.Add("Since", StateClock.Format(since));
        if (filter.Before is not null) args.Add("Before", filter.Before);
        if (filter.Sort != RunSort.Newest && filter.Offset > 0) args.Add("Offset", filter.Offset);
        return await c.RowsAsync<RunLogEntry>(sql.ToString(), args, filter.IncludeText ? Read : ReadSummary, null, cancellationToken);
    }

    /// <summary>Runs left <c>running</c> or <c>queued</c> by an owner that is gone are marked as interrupted.</summary>
    internal async Task<int> MarkInterruptedAsync(Func<string?, bool> ownerIsGone, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var open = await c.RowsAsync("SELECT id, owner FROM run_log WHERE status IN ('running', 'queued')", null,
            r => new OpenRun(r.GetInt64(0), r.TextOrNull(1)), null, cancellationToken);
        var count = 0;
        foreach (var run in open.Where(r => ownerIsGone(r.Owner)))
        {
            count += await c.ExecAsync(
                """
                UPDATE run_log SET status = 'error', error = @error, finished_at = @now
                WHERE id = @id AND status IN ('running', 'queued')
                """,
                new StateArgs { { "id", run.Id }, { "error", InterruptedError(run.Owner) }, { "now", StateClock.Format(_time.GetUtcNow()) } },
                null, cancellationToken);
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
        return await c.Int64Async(
            """
            SELECT id FROM run_log WHERE module_id = @moduleId AND status IN ('running', 'queued') AND owner IS NOT DISTINCT FROM @owner
            ORDER BY id DESC LIMIT 1
            """, new StateArgs { { "moduleId", moduleId }, { "owner", owner } }, null, cancellationToken);
    }

    private string? Redact(string? text) => text is null ? null : _redactor.Redact(text);

    // The columns of Select, in its order.
    private static RunLogEntry Read(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), ModuleId = r.Int64OrNull(1), ModuleName = r.TextOrNull(2), GroupRunId = r.Int64OrNull(3),
        StartedAt = StateClock.Parse(r.GetString(4)), FinishedAt = r.TextOrNull(5) is { } finished ? StateClock.Parse(finished) : null,
        DurationMs = r.Int64OrNull(6), RowCount = r.Int64OrNull(7), Status = RunStatusText.Parse(r.GetString(8)), Error = r.TextOrNull(9),
        TriggeredBy = r.GetString(10), ResolvedSourceSql = r.TextOrNull(11), MergeSql = r.TextOrNull(12), WatermarkValuesJson = r.TextOrNull(13),
        TransferLog = r.TextOrNull(14), ErrorDetail = r.TextOrNull(15), HookLog = r.TextOrNull(16), HookFailed = r.GetInt64(17) != 0,
        LiveLog = r.GetString(18), SchemaChanges = r.TextOrNull(19), DeletedRows = r.Int64OrNull(20), VerifyJson = r.TextOrNull(21),
        Drift = r.GetInt64(22) != 0, Attempts = (int)r.GetInt64(23),
    };

    // The columns of SelectSummary, in its order.
    private static RunLogEntry ReadSummary(DbDataReader r) => new()
    {
        Id = r.GetInt64(0), ModuleId = r.Int64OrNull(1), ModuleName = r.TextOrNull(2), GroupRunId = r.Int64OrNull(3),
        StartedAt = StateClock.Parse(r.GetString(4)), FinishedAt = r.TextOrNull(5) is { } finished ? StateClock.Parse(finished) : null,
        DurationMs = r.Int64OrNull(6), RowCount = r.Int64OrNull(7), Status = RunStatusText.Parse(r.GetString(8)), Error = r.TextOrNull(9),
        TriggeredBy = r.GetString(10), HookFailed = r.GetInt64(11) != 0, LiveLog = "", DeletedRows = r.Int64OrNull(12),
        Drift = r.GetInt64(13) != 0, Attempts = (int)r.GetInt64(14),
    };

    private sealed record OpenRun(long Id, string? Owner);
}
