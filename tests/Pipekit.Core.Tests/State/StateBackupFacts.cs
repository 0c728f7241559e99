using Dapper;
using Microsoft.Data.Sqlite;
using Pipekit.Core.Errors;
using Pipekit.Core.State;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.State;

public sealed class StateBackupFacts
{
    private static readonly Migration V1 = new("core", 1, "things", "CREATE TABLE thing (id INTEGER PRIMARY KEY, name TEXT NOT NULL);");
    private static readonly Migration V2 = new("core", 2, "thing_notes", "ALTER TABLE thing ADD COLUMN notes TEXT;");

    private static async Task<StateStore> StoreWithThingsAsync(string path, int things, params Migration[] migrations)
    {
        var store = new StateStore(path, 5000, new Migrator(migrations.Length == 0 ? [V1] : migrations, TimeProvider.System));
        await store.InitializeAsync(CancellationToken.None);
        await using var c = await store.OpenAsync(CancellationToken.None);
        for (var i = 0; i < things; i++) await c.ExecuteAsync("INSERT INTO thing (name) VALUES (@n)", new { n = $"t{i}" });
        return store;
    }

    private static async Task<long> CountAsync(string path)
    {
        await using var c = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        return await c.ExecuteScalarAsync<long>("SELECT count(*) FROM thing");
    }

    [Fact]
    public async Task A_backup_taken_while_a_run_writes_holds_every_committed_row_and_none_in_flight()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 100);

        // A writer mid-transaction (as a run recording its progress) does not block the backup, and its rows are not in it.
        await using var writer = await store.OpenAsync(CancellationToken.None);
        await using var tx = await writer.BeginTransactionAsync();
        await writer.ExecuteAsync("INSERT INTO thing (name) VALUES ('in flight')", transaction: tx);
        var result = await new StateBackup(store, TimeProvider.System).BackupAsync(dir.File("copy.db"), CancellationToken.None);
        await tx.CommitAsync();

        Assert.Equal(dir.File("copy.db"), result.Path);
        Assert.Equal(new FileInfo(result.Path).Length, result.Bytes);
        Assert.Equal("core 1", result.Versions);
        Assert.Equal(100, await CountAsync(result.Path));
        await using var copy = new SqliteConnection($"Data Source={result.Path};Pooling=False");
        await copy.OpenAsync();
        Assert.Equal("delete", await copy.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public async Task Backups_taken_while_writers_commit_continuously_are_each_intact()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 10);
        using var stop = new CancellationTokenSource();
        var writing = Task.Run(async () =>
        {
            var written = 0;
            while (!stop.IsCancellationRequested)
            {
                await using var c = await store.OpenAsync(CancellationToken.None);
                await c.ExecuteAsync("INSERT INTO thing (name) VALUES ('run row')");
                written++;
            }
            return written;
        });
        var backup = new StateBackup(store, TimeProvider.System);
        var counts = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var result = await backup.BackupAsync(dir.File($"copy{i}.db"), CancellationToken.None);
            counts.Add(await CountAsync(result.Path));
        }
        await stop.CancelAsync();
        var total = 10 + await writing;

        Assert.All(counts, n => Assert.InRange(n, 10, total));
        Assert.Equal(counts.Order(), counts);
    }

    [Fact]
    public async Task A_backup_without_a_path_goes_to_the_backups_directory_named_by_schema_version()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 1);
        var result = await new StateBackup(store, TimeProvider.System).BackupAsync(null, CancellationToken.None);

        Assert.Equal(dir.File("backups"), Path.GetDirectoryName(result.Path));
        Assert.Matches(@"^pipekit-core1-\d{8}T\d{6}Z\.db$", Path.GetFileName(result.Path));
    }

    [Fact]
    public async Task A_backup_refuses_to_overwrite_a_file()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 1);
        await File.WriteAllTextAsync(dir.File("taken.db"), "mine");

        var ex = await Assert.ThrowsAsync<ConflictException>(() => new StateBackup(store, TimeProvider.System).BackupAsync(dir.File("taken.db"), CancellationToken.None));
        Assert.Contains("already exists", ex.Message);
        Assert.Equal("mine", await File.ReadAllTextAsync(dir.File("taken.db")));
    }

    [Fact]
    public async Task Restore_brings_back_the_backup_and_keeps_the_store_it_replaced()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 5);
        var backup = new StateBackup(store, TimeProvider.System);
        var saved = await backup.BackupAsync(dir.File("saved.db"), CancellationToken.None);
        await using (var c = await store.OpenAsync(CancellationToken.None))
            await c.ExecuteAsync("INSERT INTO thing (name) VALUES ('after the backup')");

        var result = await backup.RestoreAsync(saved.Path, CancellationToken.None);

        Assert.Equal(5, await CountAsync(store.Location));
        Assert.Equal(6, await CountAsync(result.KeptPath));
        Assert.StartsWith(dir.File("backups"), result.KeptPath);
        Assert.False(result.NeedsUpgrade);
        Assert.Empty(await store.InitializeAsync(CancellationToken.None));
        await using var after = await store.OpenAsync(CancellationToken.None);
        Assert.Equal(6, await after.ExecuteScalarAsync<long>("INSERT INTO thing (name) VALUES ('x') RETURNING id"));
    }

    [Fact]
    public async Task Restore_refuses_a_corrupted_file_and_leaves_the_store_as_it_was()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 200);
        var backup = new StateBackup(store, TimeProvider.System);
        var saved = await backup.BackupAsync(dir.File("saved.db"), CancellationToken.None);
        // Every page after the first gets a garbage header (an invalid b-tree page type), as a torn copy would.
        await using (var file = new FileStream(saved.Path, FileMode.Open, FileAccess.ReadWrite))
        {
            for (var page = 4096L; page < file.Length; page += 4096)
            {
                file.Position = page;
                await file.WriteAsync(Enumerable.Repeat((byte)0xA5, 12).ToArray());
            }
        }

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => backup.RestoreAsync(saved.Path, CancellationToken.None));
        Assert.Contains(saved.Path, ex.Message);
        Assert.Equal(200, await CountAsync(store.Location));
        Assert.False(Directory.Exists(dir.File("backups")));
    }

    [Theory]
    [InlineData("not a database at all, just text", "not a readable SQLite database")]
    [InlineData("sqlite-without-schema", "not a Pipekit state store")]
    public async Task Restore_refuses_a_file_that_is_not_a_Pipekit_store(string content, string expected)
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 3);
        var other = dir.File("other.db");
        if (content == "sqlite-without-schema")
        {
            await using var c = new SqliteConnection($"Data Source={other};Pooling=False");
            await c.OpenAsync();
            await c.ExecuteAsync("CREATE TABLE unrelated (x INTEGER)");
        }
        else await File.WriteAllTextAsync(other, content);

        var ex = await Assert.ThrowsAsync<InvalidInputException>(() => new StateBackup(store, TimeProvider.System).RestoreAsync(other, CancellationToken.None));
        Assert.Contains(expected, ex.Message);
        Assert.Equal(3, await CountAsync(store.Location));
    }

    [Fact]
    public async Task Restore_refuses_while_a_server_holds_the_store()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 3);
        var backup = new StateBackup(store, TimeProvider.System);
        var saved = await backup.BackupAsync(dir.File("saved.db"), CancellationToken.None);

        using (ServeLock.Hold(store))
        {
            var ex = await Assert.ThrowsAsync<ConflictException>(() => backup.RestoreAsync(saved.Path, CancellationToken.None));
            Assert.Contains("stop it first", ex.Message);
        }
        await backup.RestoreAsync(saved.Path, CancellationToken.None);
    }

    [Fact]
    public async Task A_server_cannot_start_while_a_restore_holds_the_store()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 1);
        using var restoring = ServeLock.TryExclusive(store.Location);
        Assert.NotNull(restoring);
        Assert.Throws<StateException>(() => ServeLock.Hold(store));
    }

    [Fact]
    public async Task An_upgrade_backs_up_the_store_before_its_first_new_migration()
    {
        using var dir = new TempDirectory();
        await StoreWithThingsAsync(dir.File("pipekit.db"), 7, V1);
        var upgraded = new StateStore(dir.File("pipekit.db"), 5000, new Migrator([V1, V2], TimeProvider.System));

        var applied = await upgraded.InitializeAsync(CancellationToken.None);

        Assert.Equal([V2.Name], applied.Select(m => m.Name));
        var copy = Assert.Single(Directory.GetFiles(dir.File("backups")));
        Assert.Equal(copy, upgraded.UpgradeBackupPath);
        Assert.Matches(@"pipekit-core1-\d{8}T\d{6}Z\.db$", copy);
        Assert.Equal(7, await CountAsync(copy));
        await using var c = new SqliteConnection($"Data Source={copy};Mode=ReadOnly;Pooling=False");
        await c.OpenAsync();
        Assert.Equal(1, await c.ExecuteScalarAsync<long>("SELECT max(version) FROM schema_version"));
    }

    [Fact]
    public async Task A_fresh_install_or_a_current_store_makes_no_backup()
    {
        using var dir = new TempDirectory();
        var store = await StoreWithThingsAsync(dir.File("pipekit.db"), 1, V1, V2);
        await store.InitializeAsync(CancellationToken.None);

        Assert.Null(store.UpgradeBackupPath);
        Assert.False(Directory.Exists(dir.File("backups")));
    }
}
