using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Data.Sqlite;
using Pipekit.Core.State;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.State;

public sealed class MigratorFacts
{
    private static readonly Migration V1 = new("core", 1, "settings", "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL);");
    private static readonly Migration V2 = new("core", 2, "things", "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    private static readonly Migration V3 = new("core", 3, "thing_notes", "ALTER TABLE thing ADD COLUMN notes TEXT;");

    private static StateStore Store(string path, params Migration[] migrations) =>
        new(path, 5000, new Migrator(migrations, TimeProvider.System));

    private static Migrator CoreOnly() => Migrator.ForParts([StatePart.Core], StoreKind.Sqlite, TimeProvider.System);

    [Fact]
    public async Task A_fresh_install_applies_every_embedded_migration_in_WAL_mode()
    {
        using var dir = new TempDirectory();
        var store = new StateStore(dir.File("pipekit.db"), 5000, CoreOnly());
        var applied = await store.InitializeAsync(CancellationToken.None);

        Assert.Equal(store.Migrator.LatestVersion("core"), applied.Count);
        await using var c = await store.OpenAsync(CancellationToken.None);
        Assert.Equal("wal", await c.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.Equal(5000L, await c.ExecuteScalarAsync<long>("PRAGMA busy_timeout"));
        var rows = (await c.QueryAsync<(long Version, string Checksum)>("SELECT version, checksum FROM schema_version WHERE part = 'core' ORDER BY version")).ToList();
        Assert.Equal(applied.Select(m => (long)m.Version), rows.Select(r => r.Version));
        Assert.All(rows, r => Assert.Matches("^[0-9a-f]{64}$", r.Checksum));
    }

    [Fact]
    public async Task A_pooled_connection_keeps_its_settings_when_it_is_opened_again()
    {
        using var dir = new TempDirectory();
        var store = new StateStore(dir.File("pipekit.db"), 4321, CoreOnly());
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
    public async Task Init_is_idempotent()
    {
        using var dir = new TempDirectory();
        var store = new StateStore(dir.File("pipekit.db"), 5000, CoreOnly());
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
        Assert.Equal(1, status.Applied["core"]);
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
        Assert.Contains("core/0002_things.sql was changed after it was applied", ex.Message);
    }

    [Fact]
    public async Task An_embedded_migration_edited_after_it_was_applied_is_refused_although_its_checksum_was_built()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        var shipped = CoreOnly().All;
        await new StateStore(path, 5000, new Migrator(shipped, TimeProvider.System)).InitializeAsync(CancellationToken.None);
        var last = shipped[^1];
        Assert.True(last.HasBuiltChecksum);
        var edited = last with { Sql = last.Sql + "\n-- tweaked" };

        var ex = await Assert.ThrowsAsync<StateException>(() =>
            new StateStore(path, 5000, new Migrator([.. shipped.SkipLast(1), edited], TimeProvider.System)).InitializeAsync(CancellationToken.None));
        Assert.Contains($"{last.FileName} was changed after it was applied", ex.Message);
    }

    [Theory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public void Every_embedded_migration_carries_the_SHA256_of_its_text_from_the_build(StoreKind store)
    {
        var migrations = Migrator.ForParts([StatePart.Core], store, TimeProvider.System).All;

        Assert.NotEmpty(migrations);
        Assert.All(migrations, m =>
        {
            Assert.True(m.HasBuiltChecksum, $"{m.FileName} has no checksum from the build (a byte-order mark or CRLF line endings?)");
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(m.Sql.ReplaceLineEndings("\n")))), m.Checksum);
        });
    }

    [Fact]
    public void A_checksum_computed_at_run_time_ignores_line_endings_as_the_built_ones_do()
    {
        var lf = new Migration("core", 1, "x", "CREATE TABLE a (id INTEGER);\nCREATE TABLE b (id INTEGER);\n");
        var crlf = lf with { Sql = lf.Sql.ReplaceLineEndings("\r\n") };

        Assert.False(crlf.HasBuiltChecksum);
        Assert.Equal(lf.Checksum, crlf.Checksum);
        Assert.NotEqual(lf.Checksum, (lf with { Sql = lf.Sql + " " }).Checksum);
    }

    [Fact]
    public async Task A_database_newer_than_the_binary_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        await Store(path, V1, V2, V3).InitializeAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<StateException>(() => Store(path, V1, V2).InitializeAsync(CancellationToken.None));
        Assert.Contains("core at schema version 3, newer than this pipekit (knows up to 2)", ex.Message);
    }

    [Fact]
    public async Task A_failing_migration_rolls_back_and_leaves_the_previous_version()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        var broken = new Migration("core", 2, "broken", "CREATE TABLE ok_table (id INTEGER); CREATE TABLE ok_table (id INTEGER);");
        await Assert.ThrowsAsync<StateException>(() => Store(path, V1, broken).InitializeAsync(CancellationToken.None));

        await using var c = new SqliteConnection($"Data Source={path}");
        await c.OpenAsync();
        Assert.Equal(1L, await c.ExecuteScalarAsync<long>("SELECT max(version) FROM schema_version WHERE part = 'core'"));
        Assert.Equal(0L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM sqlite_master WHERE name = 'ok_table'"));
    }

    [Fact]
    public async Task Parts_migrate_in_order_core_first_and_each_keeps_its_own_versions()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        var other = new Migration("other", 1, "other", "CREATE TABLE other_thing (id INTEGER PRIMARY KEY, thing_id INTEGER REFERENCES thing (id));");
        var store = Store(path, V1, V2, other);
        var applied = await store.InitializeAsync(CancellationToken.None);

        Assert.Equal(["core/0001_settings.sql", "core/0002_things.sql", "other/0001_other.sql"], applied.Select(m => m.FileName));
        var status = await store.GetStatusAsync(CancellationToken.None);
        Assert.Equal(2, status.Applied["core"]);
        Assert.Equal(1, status.Applied["other"]);
        Assert.Equal("core 2, other 1", status.Versions);
    }

    [Fact]
    public async Task A_store_holding_a_part_this_binary_does_not_know_is_refused()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        await Store(path, V1, new Migration("later", 1, "later", "CREATE TABLE later_thing (id INTEGER);")).InitializeAsync(CancellationToken.None);

        var ex = await Assert.ThrowsAsync<StateException>(() => Store(path, V1).InitializeAsync(CancellationToken.None));
        Assert.Contains("a part 'later' that this pipekit does not know; upgrade pipekit", ex.Message);
    }

    [Fact]
    public async Task Two_processes_initialising_one_store_at_once_apply_each_migration_once()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        var stores = Enumerable.Range(0, 4).Select(_ => Store(path, V1, V2, V3)).ToList();
        await Store(path, V1).InitializeAsync(CancellationToken.None);

        var applied = await Task.WhenAll(stores.Select(s => Task.Run(() => s.InitializeAsync(CancellationToken.None))));

        Assert.Equal([2, 3], applied.SelectMany(a => a).Select(m => m.Version).Order());
        await using var c = await stores[0].OpenAsync(CancellationToken.None);
        Assert.Equal(3L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_version"));
    }

    [Fact]
    public void A_store_specific_migration_replaces_the_plain_one_for_that_store_only()
    {
        var sqlite = Migrator.ForParts([StatePart.Core], StoreKind.Sqlite, TimeProvider.System);
        Assert.Contains("INTEGER PRIMARY KEY", sqlite.All.Single(m => m.Part == "core" && m.Version == 1).Sql);
    }
}
