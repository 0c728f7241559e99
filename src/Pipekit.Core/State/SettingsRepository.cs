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
        return await c.TextAsync("SELECT value FROM settings WHERE key = @key", new StateArgs { { "key", key } }, null, cancellationToken);
    }

    public async Task SetAsync(string key, string value, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        await c.ExecAsync(
            """
            INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @now)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at
            """,
            new StateArgs { { "key", key }, { "value", value }, { "now", StateClock.Format(_time.GetUtcNow()) } }, null, cancellationToken);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.ExecAsync("DELETE FROM settings WHERE key = @key", new StateArgs { { "key", key } }, null, cancellationToken) > 0;
    }

    public async Task<IReadOnlyList<Setting>> ListAsync(CancellationToken cancellationToken)
    {
        await using var c = await _store.OpenAsync(cancellationToken);
        return await c.RowsAsync("SELECT key, value, updated_at FROM settings ORDER BY key", null,
            r => new Setting(r.GetString(0), r.GetString(1), StateClock.Parse(r.GetString(2))), null, cancellationToken);
    }
}
