using Pipekit.Core.State;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Locks;

/// <summary>Two runs of one module at once: the atomic lock lets exactly one through, the other is told "already running".</summary>
[Collection(PostgresCollection.Name)]
public sealed class ConcurrentRunFacts(PostgresFixture postgres)
{
    [PostgresTheory]
    [InlineData(StoreKind.Sqlite)]
    [InlineData(StoreKind.Postgres)]
    public async Task Of_two_simultaneous_runs_exactly_one_runs_and_the_other_is_refused_as_already_running(StoreKind store)
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions
        {
            Store = store == StoreKind.Postgres ? TestStateStore.Postgres(postgres) : TestStateStore.Sqlite,
        });
        var source = await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddSqliteAsync("dst");
        await h.ExecuteAsync(source, "CREATE TABLE t (v integer)", "INSERT INTO t VALUES (1), (2), (3)");
        await h.ExecuteAsync(dest, "CREATE TABLE t_copy (v integer)");
        // The resolver holds the lock for a second, far longer than the other run needs to reach the lock.
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "slow",
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = "t_copy",
            SourceQuery = "SELECT v FROM t WHERE v > {floor}",
            MergeStrategy = MergeStrategy.Append,
            Columns = [new("v", "integer", "v", "integer")],
            Watermarks = [new() { Name = "floor", ConnectionId = source.Id, ResolverSql = "SELECT 0 FROM pg_sleep(1)" }],
        });

        var results = await Task.WhenAll(Task.Run(() => h.RunAsync(module)), Task.Run(() => h.RunAsync(module)));

        var refused = Assert.Single(results, r => r.AlreadyRunning);
        var ran = Assert.Single(results, r => !r.AlreadyRunning);
        RunAssert.Succeeded(ran, 3);
        Assert.Equal((RunStatus.Error, (long?)null), (refused.Status, refused.RunId));
        Assert.StartsWith("module 'slow' is already running (host ", refused.Error, StringComparison.Ordinal);
        Assert.Equal([ran.RunId!.Value], (await h.RunsOfAsync(module)).Select(r => r.Id));
        Assert.Equal(["1", "2", "3"], await h.QueryAsync(dest, "SELECT v FROM t_copy ORDER BY v"));
        Assert.False((await h.ReloadAsync(module)).Running);
    }
}
