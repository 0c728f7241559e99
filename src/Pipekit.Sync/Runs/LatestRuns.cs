using Dapper;
using Pipekit.Core.State;

namespace Pipekit.Sync.Runs;

/// <summary>
/// The dashboard's read of the run log: each module's newest run, and the runs that are running or queued now.
/// Summaries only (no SQL or log text). One index seek per module on <c>run_log (module_id, id)</c>, so it stays
/// fast with a long history; the SQL is the same on SQLite and PostgreSQL. The listing of every module with its newest
/// run is kept in memory under the module and run change versions (<c>change_version</c>, bumped by triggers in the
/// transaction of every change, from any process), so a dashboard that nothing changed since reads two integers.
/// </summary>
public sealed class LatestRuns
{
    private const string Columns = "r.id, r.module_id, r.module_name, r.group_run_id, r.started_at, r.finished_at, r.duration_ms, r.row_count, r.status, r.error, r.triggered_by";

    private readonly StateStore _store;
    private readonly Lock _gate = new();
    private (long Module, long Run) _cachedUnder = (-1, -1);
    private IReadOnlyList<ModuleStatus>? _cached;

    public LatestRuns(StateStore store)
    {
        _store = store;
    }

    /// <summary>Each module's newest run (any status), keyed by module id; modules that never ran are absent.</summary>
    public async Task<IReadOnlyDictionary<long, RunLogEntry>> ByModuleAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM module m JOIN run_log r ON r.id = (SELECT max(id) FROM run_log WHERE module_id = m.id)",
            cancellationToken: cancellationToken));
        return rows.ToDictionary(r => r.module_id!.Value, r => r.ToEntry());
    }

    /// <summary>
    /// Every module with its newest run in one query: the few module columns a listing shows (no query text, no
    /// columns, watermarks or hooks) and the run's summary with the error cut to 300 characters.
    /// </summary>
    /// <remarks>
    /// While no module (with its watermarks and hooks) and no run summary changed since the last read, the same list
    /// comes from memory after one query of the two change versions. The versions are read before the rows: a change
    /// in between leaves newer rows under older versions, which the next read replaces, never older rows under newer ones.
    /// </remarks>
    public async Task<IReadOnlyList<ModuleStatus>> ModulesAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var versions = await c.QuerySingleAsync<(long Module, long Run)>(new CommandDefinition(
            """
            SELECT (SELECT version FROM change_version WHERE aggregate = 'module') AS module,
                   (SELECT version FROM change_version WHERE aggregate = 'run') AS run
            """,
            cancellationToken: cancellationToken));
        lock (_gate)
        {
            if (_cached is not null && _cachedUnder == versions) return _cached;
        }
        var modules = await ReadModulesAsync(c, cancellationToken);
        lock (_gate)
        {
            _cachedUnder = versions;
            _cached = modules;
        }
        return modules;
    }

    private static async Task<IReadOnlyList<ModuleStatus>> ReadModulesAsync(System.Data.Common.DbConnection c, CancellationToken cancellationToken)
    {
        var rows = await c.QueryAsync<StatusRow>(new CommandDefinition(
            """
            SELECT m.id AS m_id, m.name, m.source_connection_id, m.dest_table, m.merge_strategy, m.enabled,
                   r.id, r.group_run_id, r.started_at, r.finished_at, r.duration_ms, r.row_count, r.status,
                   substr(r.error, 1, 300) AS error, r.triggered_by
            FROM module m LEFT JOIN run_log r ON r.id = (SELECT max(id) FROM run_log WHERE module_id = m.id)
            """,
            cancellationToken: cancellationToken));
        return rows.Select(r => new ModuleStatus(r.m_id, r.name, r.source_connection_id, r.dest_table,
            Enum.Parse<Modules.MergeStrategy>(r.merge_strategy, ignoreCase: true), r.enabled != 0,
            r.id is { } id ? new Row(id, r.m_id, r.name, r.group_run_id, r.started_at!, r.finished_at, r.duration_ms, r.row_count, r.status!, r.error, r.triggered_by!).ToEntry() : null))
            .ToList();
    }

    /// <summary>Runs that are <c>running</c> or <c>queued</c>, oldest first.</summary>
    public async Task<IReadOnlyList<RunLogEntry>> ActiveAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM run_log r WHERE r.status IN ('running', 'queued') ORDER BY r.id",
            cancellationToken: cancellationToken));
        return rows.Select(r => r.ToEntry()).ToList();
    }

#pragma warning disable IDE1006
    private sealed record Row(long id, long? module_id, string module_name, long? group_run_id, string started_at, string? finished_at, long? duration_ms, long? row_count,
        string status, string? error, string triggered_by)
    {
        public RunLogEntry ToEntry() => new()
        {
            Id = id, ModuleId = module_id, ModuleName = module_name, GroupRunId = group_run_id, StartedAt = StateClock.Parse(started_at),
            FinishedAt = finished_at is null ? null : StateClock.Parse(finished_at), DurationMs = duration_ms, RowCount = row_count,
            Status = RunStatusText.Parse(status), Error = error, TriggeredBy = triggered_by,
        };
    }
    // A class rather than a positional record: Dapper maps the LEFT JOIN's nullable run columns by name.
    private sealed class StatusRow
    {
        public long m_id { get; set; }
        public string name { get; set; } = "";
        public long source_connection_id { get; set; }
        public string dest_table { get; set; } = "";
        public string merge_strategy { get; set; } = "";
        public long enabled { get; set; }
        public long? id { get; set; }
        public long? group_run_id { get; set; }
        public string? started_at { get; set; }
        public string? finished_at { get; set; }
        public long? duration_ms { get; set; }
        public long? row_count { get; set; }
        public string? status { get; set; }
        public string? error { get; set; }
        public string? triggered_by { get; set; }
    }
#pragma warning restore IDE1006
}
