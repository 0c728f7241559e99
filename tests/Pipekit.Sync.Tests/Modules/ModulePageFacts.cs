using Dapper;
using Microsoft.Data.Sqlite;
using Pipekit.Core.State;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;
using Pipekit.Sync.Watermarks;
using Pipekit.Sync.Hooks;

namespace Pipekit.Sync.Tests.Modules;

/// <summary>
/// Module pages are kept in memory under the module change version; these facts show that every kind of change,
/// including one made outside this process, is seen by the next listing.
/// </summary>
public abstract class ModulePageFacts(TestStateStore store)
{
    [Fact]
    public async Task A_repeated_listing_is_the_same_page_until_something_changes()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await h.AddSqliteAsync("db");
        await h.SaveModuleAsync(Copy(db.Id, "a"));

        var first = await h.Modules.ListAsync(new ModuleFilter(), CancellationToken.None);
        var second = await h.Modules.ListAsync(new ModuleFilter(), CancellationToken.None);

        Assert.Same(first, second);
    }

    [Fact]
    public async Task Saving_a_module_its_watermarks_or_its_hooks_shows_in_the_next_listing()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await h.AddSqliteAsync("db");
        var a = await h.SaveModuleAsync(Copy(db.Id, "a"));
        Assert.Equal("a", Assert.Single(await ListAsync(h)).Name);

        a = await h.Modules.SaveAsync(a with { Notes = "edited" }, CancellationToken.None);
        Assert.Equal("edited", Assert.Single(await ListAsync(h)).Notes);

        a = await h.Modules.SaveAsync(a with { Watermarks = [new Watermark { Name = "since", ConnectionId = db.Id, ResolverSql = "SELECT 1" }] },
            CancellationToken.None);
        Assert.Equal("since", Assert.Single(Assert.Single(await ListAsync(h)).Watermarks).Name);

        await h.Modules.SaveAsync(a with { Hooks = [new Hook { ConnectionId = db.Id, Sql = "SELECT 2" }] }, CancellationToken.None);
        Assert.Equal("SELECT 2", Assert.Single(Assert.Single(await ListAsync(h)).Hooks).Sql);

        var b = await h.SaveModuleAsync(Copy(db.Id, "b"));
        Assert.Equal(["a", "b"], (await ListAsync(h)).Select(m => m.Name));

        await h.Modules.DeleteAsync(b.Id, CancellationToken.None);
        Assert.Equal(["a"], (await ListAsync(h)).Select(m => m.Name));
    }

    [Fact]
    public async Task Taking_and_releasing_a_module_lock_shows_in_the_next_listing()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await h.AddSqliteAsync("db");
        var a = await h.SaveModuleAsync(Copy(db.Id, "a"));
        Assert.False(Assert.Single(await ListAsync(h)).Running);

        var owner = ProcessIdentity.Current();
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(a.Id, owner, CancellationToken.None));
        Assert.True(Assert.Single(await ListAsync(h)).Running);

        await h.Get<ModuleLocks>().ReleaseAsync(a.Id, owner);
        Assert.False(Assert.Single(await ListAsync(h)).Running);
    }

    [Fact]
    public async Task A_change_written_by_another_process_with_plain_SQL_shows_in_the_next_listing()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await h.AddSqliteAsync("db");
        var a = await h.SaveModuleAsync(Copy(db.Id, "a"));
        Assert.Null(Assert.Single(await ListAsync(h)).Notes);

        // Another process: its own connection (unpooled for SQLite), and no Pipekit repository on the write path.
        await using (var other = h.State.Kind == StoreKind.Sqlite
            ? new SqliteConnection($"Data Source={h.State.Location};Pooling=False")
            : await h.State.OpenAsync(CancellationToken.None))
        {
            if (other.State != System.Data.ConnectionState.Open) await other.OpenAsync();
            await other.ExecuteAsync("UPDATE module SET notes = 'from the CLI' WHERE id = @id", new { id = a.Id });
            await other.ExecuteAsync("INSERT INTO watermark (module_id, name, connection_id, resolver_sql) VALUES (@id, 'w', @db, 'SELECT 1')",
                new { id = a.Id, db = db.Id });
        }

        var listed = Assert.Single(await ListAsync(h));
        Assert.Equal("from the CLI", listed.Notes);
        Assert.Equal("w", Assert.Single(listed.Watermarks).Name);
    }

    [Fact]
    public async Task Filters_and_pages_are_kept_apart()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await h.AddSqliteAsync("db");
        var other = await h.AddSqliteAsync("other");
        await h.SaveModuleAsync(Copy(db.Id, "a"));
        await h.SaveModuleAsync(Copy(other.Id, "b") with { Enabled = false });
        await h.SaveModuleAsync(Copy(db.Id, "c"));

        Assert.Equal(["a", "b", "c"], (await ListAsync(h)).Select(m => m.Name));
        Assert.Equal(["a", "c"], (await ListAsync(h, new ModuleFilter { SourceConnectionId = db.Id })).Select(m => m.Name));
        Assert.Equal(["b"], (await ListAsync(h, new ModuleFilter { Enabled = false })).Select(m => m.Name));
        var firstPage = await ListAsync(h, new ModuleFilter { Limit = 1 });
        Assert.Equal(["a"], firstPage.Select(m => m.Name));
        Assert.Equal(["b"], (await ListAsync(h, new ModuleFilter { Limit = 1, After = firstPage[0].Id })).Select(m => m.Name));
    }

    private static Task<IReadOnlyList<Module>> ListAsync(SyncHarness h, ModuleFilter? filter = null) =>
        h.Modules.ListAsync(filter ?? new ModuleFilter(), CancellationToken.None);

    private static Module Copy(long connectionId, string name) => new()
    {
        Name = name,
        SourceConnectionId = connectionId,
        DestConnectionId = connectionId,
        DestTable = name + "_copy",
        SourceQuery = "SELECT 1 AS v",
        MergeStrategy = MergeStrategy.Full,
        Columns = [new("v", "integer", "v", "integer")],
    };

    public sealed class OnSqlite() : ModulePageFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : ModulePageFacts(TestStateStore.Postgres(postgres));
}
