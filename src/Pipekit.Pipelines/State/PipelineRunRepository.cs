using Dapper;
using Pipekit.Core.State;
using Pipekit.Pipelines.Execution;

namespace Pipekit.Pipelines.State;

/// <summary>The <c>pipeline_run</c> and <c>task_run</c> tables.</summary>
public sealed class PipelineRunRepository(StateStore store, TimeProvider time)
{
    private const string Select = """
        SELECT id, pipeline_id, dag_name, status, status_detail, triggered_by, only_task, attempt, run_dir, created_at, started_at, finished_at
        FROM pipeline_run
        """;

    private string Now => StateClock.Format(time.GetUtcNow());

    /// <summary>Records a new run (<c>running</c>, <c>queued</c>, or <c>skipped</c> with its reason) and returns its id.</summary>
    public async Task<long> CreateAsync(long pipelineId, string dag, PipelineRunStatus status, string? detail, string triggeredBy, string? onlyTask,
        string? owner, CancellationToken cancellationToken)
    {
        var now = Now;
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition("""
            INSERT INTO pipeline_run (pipeline_id, dag_name, status, status_detail, triggered_by, only_task, attempt, created_at, started_at, finished_at, owner)
            VALUES (@pipelineId, @dag, @status, @detail, @triggeredBy, @onlyTask, 1, @now, @started, @finished, @owner)
            RETURNING id
            """, new
        {
            pipelineId, dag, status = status.ToText(), detail, triggeredBy, onlyTask, now, owner,
            started = status == PipelineRunStatus.Running ? now : null,
            finished = status == PipelineRunStatus.Skipped ? now : null,
        }, cancellationToken: cancellationToken));
    }

    /// <summary>Moves a queued run to running; false when it is no longer queued (someone else started or cancelled it).</summary>
    public async Task<bool> TryStartQueuedAsync(long runId, string owner, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipeline_run SET status = 'running', started_at = @now, owner = @owner WHERE id = @runId AND status = 'queued'",
            new { runId, owner, now = Now }, cancellationToken: cancellationToken)) == 1;
    }

    /// <summary>Starts attempt <paramref name="attempt"/> of a run: its directory, its status, and a pending row per task.</summary>
    public async Task BeginAttemptAsync(long runId, int attempt, string runDir, IEnumerable<string> tasks, string owner, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE pipeline_run SET status = 'running', status_detail = NULL, attempt = @attempt, run_dir = @runDir, owner = @owner,
                started_at = COALESCE(started_at, @now), finished_at = NULL
            WHERE id = @runId
            """, new { runId, attempt, runDir, owner, now = Now }, tx, cancellationToken: cancellationToken));
        foreach (var task in tasks)
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO task_run (run_id, run_attempt, task, status) VALUES (@runId, @attempt, @task, 'pending')",
                new { runId, attempt, task }, tx, cancellationToken: cancellationToken));
        await tx.CommitAsync(cancellationToken);
    }

    public async Task TaskStartedAsync(long runId, int runAttempt, string task, int attempt, DateTimeOffset at, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE task_run SET status = 'running', attempts = @attempt, started_at = @at, finished_at = NULL
            WHERE run_id = @runId AND run_attempt = @runAttempt AND task = @task
            """, new { runId, runAttempt, task, attempt, at = StateClock.Format(at) }, cancellationToken: cancellationToken));
    }

    public async Task TaskFinishedAsync(long runId, int runAttempt, TaskResult result, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition("""
            UPDATE task_run SET status = @status, attempts = @attempts, exit_code = @exitCode, started_at = @startedAt, finished_at = @finishedAt,
                log_path = @logPath, status_detail = @detail
            WHERE run_id = @runId AND run_attempt = @runAttempt AND task = @task
            """, new
        {
            runId, runAttempt, task = result.Task, status = result.Status.ToText(), attempts = result.Attempts, exitCode = result.ExitCode,
            startedAt = result.StartedAt is { } s ? StateClock.Format(s) : null, finishedAt = result.FinishedAt is { } f ? StateClock.Format(f) : null,
            logPath = result.LogPath, detail = result.Detail,
        }, cancellationToken: cancellationToken));
    }

    public async Task FinishAsync(long runId, PipelineRunStatus status, string? detail, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "UPDATE pipeline_run SET status = @status, status_detail = @detail, finished_at = @now, owner = NULL WHERE id = @runId",
            new { runId, status = status.ToText(), detail, now = Now }, cancellationToken: cancellationToken));
    }

    public async Task<PipelineRun?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    /// <summary>Runs newest first, optionally of one DAG or status, before an id (paging).</summary>
    /// <remarks>The casts type a NULL parameter for PostgreSQL, which cannot infer it from <c>@x IS NULL</c> alone.</remarks>
    public async Task<IReadOnlyList<PipelineRun>> ListAsync(string? dag, PipelineRunStatus? status, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition($"""
            {Select} WHERE (CAST(@dag AS TEXT) IS NULL OR dag_name = @dag) AND (CAST(@status AS TEXT) IS NULL OR status = @status)
              AND (CAST(@before AS BIGINT) IS NULL OR id < @before)
            ORDER BY id DESC LIMIT @limit
            """, new { dag, status = status?.ToText(), before, limit = Math.Clamp(limit, 1, 1000) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRun()).ToList();
    }

    /// <summary>Runs of a DAG still queued or running, oldest first.</summary>
    public async Task<IReadOnlyList<PipelineRun>> ActiveAsync(long pipelineId, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE pipeline_id = @pipelineId AND status IN ('queued', 'running') ORDER BY id", new { pipelineId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRun()).ToList();
    }

    /// <summary>The latest finished run of a DAG that actually ran (not skipped), or null.</summary>
    public async Task<PipelineRun?> LatestFinishedAsync(string dag, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var row = await c.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE dag_name = @dag AND status IN ('success', 'failed', 'cancelled') ORDER BY id DESC LIMIT 1", new { dag }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    /// <summary>The latest run of a DAG that started (any status but queued and skipped), or null.</summary>
    public async Task<PipelineRun?> LatestStartedAsync(string dag, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var row = await c.QueryFirstOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE dag_name = @dag AND started_at IS NOT NULL ORDER BY id DESC LIMIT 1", new { dag }, cancellationToken: cancellationToken));
        return row?.ToRun();
    }

    /// <summary>Every task row of a run, by attempt then task order of insertion.</summary>
    public async Task<IReadOnlyList<TaskRunRecord>> TasksAsync(long runId, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<TaskRow>(new CommandDefinition("""
            SELECT run_id, run_attempt, task, status, attempts, exit_code, started_at, finished_at, log_path, status_detail
            FROM task_run WHERE run_id = @runId ORDER BY run_attempt, id
            """, new { runId }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToRecord()).ToList();
    }

    /// <summary>Closes runs left <c>running</c> by a process that no longer exists; returns how many.</summary>
    public async Task<int> CloseAbandonedAsync(Func<string, bool> ownerIsGone, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var open = await c.QueryAsync<(long Id, string Owner)>(new CommandDefinition(
            "SELECT id, owner FROM pipeline_run WHERE status = 'running' AND owner IS NOT NULL", cancellationToken: cancellationToken));
        var closed = 0;
        foreach (var (id, owner) in open.Where(o => ownerIsGone(o.Owner)))
        {
            closed += await c.ExecuteAsync(new CommandDefinition("""
                UPDATE pipeline_run SET status = 'failed', status_detail = 'the process running it ended without finishing it (' || owner || '); resume it with pipekit pipelines resume',
                    finished_at = @now, owner = NULL
                WHERE id = @id AND status = 'running' AND owner = @owner
                """, new { id, owner, now = Now }, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE task_run SET status = 'failed', status_detail = 'the process running it ended' WHERE run_id = @id AND status = 'running'",
                new { id }, cancellationToken: cancellationToken));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE task_run SET status = 'skipped', status_detail = 'not started: the process running it ended' WHERE run_id = @id AND status = 'pending'",
                new { id }, cancellationToken: cancellationToken));
        }
        return closed;
    }

#pragma warning disable IDE1006
    private sealed record Row(long id, long pipeline_id, string dag_name, string status, string? status_detail, string triggered_by, string? only_task,
        long attempt, string? run_dir, string created_at, string? started_at, string? finished_at)
    {
        public PipelineRun ToRun() => new()
        {
            Id = id, PipelineId = pipeline_id, DagName = dag_name, Status = StatusText.ParseRun(status), StatusDetail = status_detail,
            TriggeredBy = triggered_by, OnlyTask = only_task, Attempt = (int)attempt, RunDir = run_dir, CreatedAt = StateClock.Parse(created_at),
            StartedAt = started_at is null ? null : StateClock.Parse(started_at), FinishedAt = finished_at is null ? null : StateClock.Parse(finished_at),
        };
    }

    private sealed record TaskRow(long run_id, long run_attempt, string task, string status, long attempts, long? exit_code, string? started_at,
        string? finished_at, string? log_path, string? status_detail)
    {
        public TaskRunRecord ToRecord() => new(run_id, (int)run_attempt, task, StatusText.ParseTask(status), (int)attempts, (int?)exit_code,
            started_at is null ? null : StateClock.Parse(started_at), finished_at is null ? null : StateClock.Parse(finished_at), log_path, status_detail);
    }
#pragma warning restore IDE1006
}
