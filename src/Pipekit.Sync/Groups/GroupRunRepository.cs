using Dapper;
using Pipekit.Core.State;
using Pipekit.Sync.Runs;

namespace Pipekit.Sync.Groups;

/// <summary>The <c>group_run</c> table.</summary>
public sealed class GroupRunRepository
{
    private const string Select = """
        SELECT gr.id, gr.group_id, g.name AS group_name, gr.started_at, gr.finished_at, gr.status, gr.triggered_by
        FROM group_run gr JOIN grp g ON g.id = gr.group_id
        """;

    private readonly StateStore _store;
    private readonly TimeProvider _time;

    public GroupRunRepository(StateStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public async Task<long> StartAsync(long groupId, string triggeredBy, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "INSERT INTO group_run (group_id, started_at, status, triggered_by) VALUES (@groupId, @now, 'running', @triggeredBy) RETURNING id",
            new { groupId, now = StateClock.Format(_time.GetUtcNow()), triggeredBy }, cancellationToken: cancellationToken));
    }

    public async Task FinishAsync(long groupRunId, RunStatus status)
    {
        await using var c = await _store.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("UPDATE group_run SET status = @status, finished_at = @now WHERE id = @groupRunId",
            new { groupRunId, status = status.ToText(), now = StateClock.Format(_time.GetUtcNow()) });
    }

    public async Task<GroupRun?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE gr.id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToGroupRun();
    }

    public async Task<IReadOnlyList<GroupRun>> ListAsync(long? groupId, long? before, int limit, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE (@groupId IS NULL OR gr.group_id = @groupId) AND (@before IS NULL OR gr.id < @before) ORDER BY gr.id DESC LIMIT @limit",
            new { groupId, before, limit = Math.Clamp(limit, 1, 1000) }, cancellationToken: cancellationToken));
        return rows.Select(r => r.ToGroupRun()).ToList();
    }

#pragma warning disable IDE1006
    private sealed record Row(long id, long group_id, string group_name, string started_at, string? finished_at, string status, string? triggered_by)
    {
        public GroupRun ToGroupRun() => new()
        {
            Id = id, GroupId = group_id, GroupName = group_name, StartedAt = StateClock.Parse(started_at),
            FinishedAt = finished_at is null ? null : StateClock.Parse(finished_at), Status = RunStatusText.Parse(status), TriggeredBy = triggered_by,
        };
    }
#pragma warning restore IDE1006
}
