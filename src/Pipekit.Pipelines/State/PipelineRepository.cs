using System.Data.Common;
using Dapper;
using Pipekit.Core.State;

namespace Pipekit.Pipelines.State;

/// <summary>The <c>pipeline</c> table: one id per DAG name, made on first use and never reused.</summary>
public sealed class PipelineRepository(StateStore store, TimeProvider time)
{
    private const string Select = "SELECT id, name, project_dir, created_at, updated_at FROM pipeline";

    /// <summary>The id of DAG <paramref name="name"/>, creating its row (safe against a concurrent creator).</summary>
    public async Task<Pipeline> EnsureAsync(string name, string projectDir, CancellationToken cancellationToken)
    {
        if (await FindAsync(name, cancellationToken) is { } existing)
        {
            if (existing.ProjectDir == projectDir) return existing;
            await using var u = await store.OpenAsync(cancellationToken);
            await u.ExecuteAsync(new CommandDefinition("UPDATE pipeline SET project_dir = @projectDir, updated_at = @now WHERE id = @id",
                new { projectDir, now = StateClock.Format(time.GetUtcNow()), id = existing.Id }, cancellationToken: cancellationToken));
            return existing with { ProjectDir = projectDir };
        }
        var now = StateClock.Format(time.GetUtcNow());
        try
        {
            await using var c = await store.OpenAsync(cancellationToken);
            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO pipeline (name, project_dir, created_at, updated_at) VALUES (@name, @projectDir, @now, @now)",
                new { name, projectDir, now }, cancellationToken: cancellationToken));
        }
        catch (DbException ex) when (store.IsUniqueViolation(ex, "pipeline"))
        {
            // Another process created it between the lookup and the insert: use theirs.
        }
        return (await FindAsync(name, cancellationToken))!;
    }

    public async Task<Pipeline?> FindAsync(string name, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE name = @name", new { name }, cancellationToken: cancellationToken));
        return row?.ToPipeline();
    }

    public async Task<Pipeline?> GetAsync(long id, CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        var row = await c.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"{Select} WHERE id = @id", new { id }, cancellationToken: cancellationToken));
        return row?.ToPipeline();
    }

    public async Task<IReadOnlyList<Pipeline>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await store.OpenAsync(cancellationToken);
        return (await c.QueryAsync<Row>(new CommandDefinition($"{Select} ORDER BY name", cancellationToken: cancellationToken))).Select(r => r.ToPipeline()).ToList();
    }

#pragma warning disable IDE1006
    private sealed record Row(long id, string name, string project_dir, string created_at, string updated_at)
    {
        public Pipeline ToPipeline() => new(id, name, project_dir, StateClock.Parse(created_at), StateClock.Parse(updated_at));
    }
#pragma warning restore IDE1006
}
