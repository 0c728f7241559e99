using Dapper;

namespace Pipekit.Core.State;

/// <summary>The <c>settings</c> table: key/value pairs with the time each was last written.</summary>
public sealed class SettingsRepository
{
    private readonly StateStore _store;
    private readonly TimeProvider _time;

    public SettingsRepository(StateStore store, TimeProvider time)
    {
        _store = store;
        _time = time;
    }

    public async Task<string?> GetAsync(string key, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT value FROM settings WHERE key = @key", new { key }, cancellationToken: cancellationToken));
    }

    public async Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @now)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            new { key, value, now = StateClock.Format(_time.GetUtcNow()) }, cancellationToken: cancellationToken));
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecuteAsync(new CommandDefinition("DELETE FROM settings WHERE key = @key", new { key }, cancellationToken: cancellationToken)) > 0;
    }

    public async Task<IReadOnlyList<Setting>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        var rows = await c.QueryAsync<(string Key, string Value, string UpdatedAt)>(new CommandDefinition(
            "SELECT key, value, updated_at FROM settings ORDER BY key", cancellationToken: cancellationToken));
        return rows.Select(r => new Setting(r.Key, r.Value, StateClock.Parse(r.UpdatedAt))).ToList();
    }
}
