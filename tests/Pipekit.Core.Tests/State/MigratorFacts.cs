using Dapper;
using Microsoft.Data.Sqlite;
using Pipekit.Core.State;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.State;

public sealed class MigratorFacts
{
    private static readonly Migration V1 = new(1, "settings", "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);");
    private static readonly Migration V2 = new(2, "things", "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    private static readonly Migration V3 = new(3, "thing_notes", "ALTER TABLE thing ADD COLUMN notes TEXT;");

    private static StateStore Store(string path, params Migration[] migrations) =>
        new(path, 5000, new Migrator(migrations, TimeProvider.System));

    [Fact]
    public async Task A_fresh_install_applies_every_embedded_migration_in_WAL_mode()
    {
        using var dir = new TempDirectory();
        var store = new StateStore(dir.File("pipekit.db"), 5000, Migrator.Embedded(TimeProvider.System));
        var applied = await store.InitializeAsync(CancellationToken.None);

        Assert.Equal(store.Migrator.LatestVersion, applied.Count);
        await using var c = await store.OpenAsync(CancellationToken.None);
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal(5000L, await c.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        var rows = (await c.QueryAsync<(long Version, string Checksum)>("SELECT version, checksum FROM schema_version ORDER BY version")).ToList();
        Assert.Equal(applied.Select(m => (long)m.Version), rows.Select(r => r.Version));
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r.Checksum));
    }

    [Fact]
    public async Task A_pooled_connection_keeps_its_settings_when_it_is_opened_again()
    {
        using var dir = new TempDirectory();
        var store = new StateStore(dir.File("pipekit.db"), 4321, Migrator.Embedded(TimeProvider.System));
        await store.InitializeAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
        {
            await using var c = await store.OpenAsync(CancellationToken.None);
            Assert.Equal(1L, await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
            Assert.Equal(4321L, await c.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
            Assert.Equal(1L, await c.ExecuteScalarAsync<long>("PRAGMA synchronous"));
            Assert.True(await c.ExecuteScalarAsync<long>("PRAGMA mmap_size") > 0);
        }
    }

    [Fact]
    public async Task Every_module_watermark_and_hook_change_bumps_the_module_change_version()
    {
        using var dir = new TempDirectory();
        var store = new StateStore(dir.File("pipekit.db"), 5000, Migrator.Embedded(TimeProvider.System));
        await store.InitializeAsync(CancellationToken.None);
        await using var c = await store.OpenAsync(CancellationToken.None);
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
    public async Task Init_is_idempotent()
    {
        using var dir = new TempDirectory();
        var store = new StateStore(dir.File("pipekit.db"), 5000, Migrator.Embedded(TimeProvider.System));
        await store.InitializeAsync(CancellationToken.None);
        Assert.Empty(await store.InitializeAsync(CancellationToken.None));
        Assert.True((await store.GetStatusAsync(CancellationToken.None)).IsCurrent);
    }

    [Fact]
    public async Task An_upgrade_across_two_versions_applies_both_and_keeps_the_data()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        await Store(path, V1).InitializeAsync(CancellationToken.None);
        var repo = new SettingsRepository(Store(path, V1), TimeProvider.System);
        await repo.SetAsync("kept", "yes", CancellationToken.None);

        var upgraded = Store(path, V1, V2, V3);
        var status = await upgraded.GetStatusAsync(CancellationToken.None);
        Assert.Equal(1, status.CurrentVersion);
        Assert.Equal([2, 3], status.Pending.Select(m => m.Version));

        var applied = await upgraded.InitializeAsync(CancellationToken.None);
        Assert.Equal([2, 3], applied.Select(m => m.Version));
        await using var c = await upgraded.OpenAsync(CancellationToken.None);
        await c.ExecuteAsync("INSERT INTO thing (name, notes) VALUES ('a', 'b')");
        Assert.Equal("yes", await new SettingsRepository(upgraded, TimeProvider.System).GetAsync("kept", CancellationToken.None));
    }

    [Fact]
    public async Task A_migration_edited_after_it_was_applied_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        await Store(path, V1, V2).InitializeAsync(CancellationToken.None);
        var edited = V2 with { Sql = V2.Sql + " -- tweaked" };

        var ex = await Assert.ThrowsAsync<StateException>(() => Store(path, V1, edited).InitializeAsync(CancellationToken.None));
        Assert.Contains("0002_things.sql was changed after it was applied", ex.Message);
    }

    [Fact]
    public async Task A_database_newer_than_the_binary_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        await Store(path, V1, V2, V3).InitializeAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<StateException>(() => Store(path, V1, V2).InitializeAsync(CancellationToken.None));
        Assert.Contains("schema version 3, newer than this pipekit (knows up to 2)", ex.Message);
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_and_leaves_the_previous_version()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        var broken = new Migration(2, "broken", "CREATE TABLE ok_table (id INTEGER); CREATE TABLE ok_table (id INTEGER);");
        await Assert.ThrowsAsync<StateException>(() => Store(path, V1, broken).InitializeAsync(CancellationToken.None));

        await using var c = new SqliteConnection($"Data Source={path}");
        await c.OpenAsync();
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("SELECT max(version) FROM schema_version"));
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'ok_table'"));
    }
}
