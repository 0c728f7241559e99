using Dapper;
using Pipekit.Sync.Tests.Fixtures;
using Xunit;

namespace Pipekit.Sync.Tests.State;

public sealed class SyncSchemaFacts
{
    [Fact]
    public async Task Every_module_watermark_and_hook_change_bumps_the_module_change_version()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var c = await h.State.OpenAsync(CancellationToken.None);
        async Task<long> Version() => await c.ExecuteScalarAsync<long>("SELECT version FROM change_version WHERE aggregate = 'module'");
        var changes = new[]
        {
            "INSERT INTO connection (id, name, driver, url, created_at, updated_at) VALUES (1, 'db', 'sqlite', 'sqlite::memory:', 'now', 'now')",
            "INSERT INTO module (id, name, source_connection_id, dest_connection_id, dest_table, source_query, merge_strategy, created_at, updated_at) VALUES (1, 'm', 1, 1, 't', 'SELECT 1', 'full', 'now', 'now')",
            "UPDATE module SET running = 1 WHERE id = 1",
            "INSERT INTO watermark (id, module_id, name, connection_id, resolver_sql) VALUES (1, 1, 'w', 1, 'SELECT 1')",
            "UPDATE watermark SET resolver_sql = 'SELECT 2' WHERE id = 1",
            "DELETE FROM watermark WHERE id = 1",
            "INSERT INTO hook (id, module_id, connection_id, sql) VALUES (1, 1, 1, 'SELECT 1')",
            "UPDATE hook SET sql = 'SELECT 2' WHERE id = 1",
            "DELETE FROM hook WHERE id = 1",
            "DELETE FROM module WHERE id = 1",
        };
        var before = await Version();
        var seen = new List<long>();
        foreach (var change in changes)
        {
            await c.ExecuteAsync(change);
            seen.Add(await Version());
        }
        // The connection insert is not a module change; each of the nine after it is.
        Assert.Equal(Enumerable.Repeat(before, 1).Concat(Enumerable.Range(1, 9).Select(i => before + i)), seen);
    }

    [Fact]
    public async Task Deleting_a_group_deletes_its_schedules_and_no_other()
    {
        await using var h = await SyncHarness.StartAsync();
        await using var c = await h.State.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("INSERT INTO grp (id, name, created_at, updated_at) VALUES (1, 'a', 'now', 'now'), (2, 'b', 'now', 'now')");
        await c.ExecuteAsync(
            """
            INSERT INTO schedule (target_kind, target_id, cron_expr, created_at, updated_at) VALUES
                ('group', 1, '* * * * *', 'now', 'now'), ('group', 2, '* * * * *', 'now', 'now'), ('pipeline', 1, '* * * * *', 'now', 'now')
            """);

        await c.ExecuteAsync("DELETE FROM grp WHERE id = 1");

        var left = (await c.QueryAsync<(string Kind, long Id)>("SELECT target_kind, target_id FROM schedule ORDER BY id")).ToList();
        Assert.Equal([("group", 2L), ("pipeline", 1L)], left);
    }
}
