using System.Globalization;
using Dapper;
using Pipekit.Core.State;
using Pipekit.Pipelines.Sdk;

namespace Pipekit.Pipelines.State;

/// <summary>The <c>secret_access</c> table: the audit of secret reads over the SDK socket.</summary>
public sealed class SecretAuditRepository(StateStore store) : ISecretAudit
{
    public async Task RecordAsync(SecretRead read, CancellationToken cancellationToken)
    {
        if (!long.TryParse(read.RunId, NumberStyles.None, CultureInfo.InvariantCulture, out var runId)) return;
        await using var c = await store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            "INSERT INTO secret_access (run_id, task, method, secret_key, field, found, accessed_at) VALUES (@runId, @task, @method, @key, @field, @found, @at)",
            new { runId, task = read.Task, method = read.Method, key = read.Key, field = read.Field, found = read.Found ? 1 : 0, at = StateClock.Format(read.At) },
            cancellationToken: cancellationToken));
    }

    /// <summary>Reads, newest first, of one run or one DAG (or all).</summary>
    public async Task<IReadOnlyList<SecretAccess>> ListAsync(long? runId, string? dag, int limit, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<Row>(new CommandDefinition("""
            SELECT a.id, a.run_id, r.dag_name, a.task, a.method, a.secret_key, a.field, a.found, a.accessed_at
            FROM secret_access a JOIN pipeline_run r ON r.id = a.run_id
            WHERE (@runId IS NULL OR a.run_id = @runId) AND (@dag IS NULL OR r.dag_name = @dag)
            ORDER BY a.id DESC LIMIT @limit
            """, new { runId, dag, limit = Math.Clamp(limit, 1, 10_000) }, cancellationToken: cancellationToken));
        return rows.Select(r => new SecretAccess(r.id, r.run_id, r.dag_name, r.task, r.method, r.secret_key, r.field, r.found != 0, StateClock.Parse(r.accessed_at))).ToList();
    }

#pragma warning disable IDE1006
    private sealed record Row(long id, long run_id, string dag_name, string task, string method, string secret_key, string? field, long found, string accessed_at);
#pragma warning restore IDE1006
}
