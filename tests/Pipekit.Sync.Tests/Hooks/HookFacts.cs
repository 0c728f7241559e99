using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

using Pipekit.Sync.Hooks;

namespace Pipekit.Sync.Tests.Hooks;

/// <summary>
/// Hooks run after the merge in run order, each only when its <c>run_on</c> matches the run's outcome; a failing
/// hook is logged and flagged but never turns a successful run into a failed one or undoes its merge.
/// </summary>
public abstract class HookFacts(TestStateStore store)
{
    [Theory]
    [InlineData(HookRunOn.Success, false, true)]
    [InlineData(HookRunOn.Success, true, false)]
    [InlineData(HookRunOn.Failure, false, false)]
    [InlineData(HookRunOn.Failure, true, true)]
    [InlineData(HookRunOn.Always, false, true)]
    [InlineData(HookRunOn.Always, true, true)]
    public async Task A_hook_fires_only_when_its_run_on_matches_the_outcome(HookRunOn runOn, bool runFails, bool fires)
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await CreateDatabaseAsync(h);
        var module = await h.SaveModuleAsync(Module(db, runFails ? "SELECT v FROM no_such_table" : "SELECT v FROM t") with
        {
            Hooks = [new() { RunOrder = 1, ConnectionId = db.Id, Sql = "INSERT INTO marks VALUES ('fired')", RunOn = runOn }],
        });

        var result = await h.RunAsync(module);

        RunAssert.Ended(runFails ? RunStatus.Error : RunStatus.Success, result);
        var entry = await h.RunLogAsync(result);
        var runOnText = runOn.ToString().ToLowerInvariant();
        Assert.Equal(fires ? ["fired"] : [], await h.QueryAsync(db, "SELECT mark FROM marks"));
        Assert.StartsWith(fires ? $"hook 1 ({runOnText}) on db: ok, 1 row(s)" : $"hook 1 ({runOnText}): skipped", entry.HookLog);
        Assert.False(entry.HookFailed);
    }

    [Fact]
    public async Task A_failing_hook_is_logged_and_flagged_while_the_run_stays_a_success_and_the_merge_stands()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await CreateDatabaseAsync(h);
        var module = await h.SaveModuleAsync(Module(db, "SELECT v FROM t") with
        {
            Hooks =
            [
                new() { RunOrder = 1, ConnectionId = db.Id, Sql = "INSERT INTO no_such_table VALUES (1)" },
                new() { RunOrder = 2, ConnectionId = db.Id, Sql = "INSERT INTO marks VALUES ('second')" },
            ],
        });

        var result = await h.RunAsync(module);

        RunAssert.Succeeded(result, 2);
        var entry = await h.RunLogAsync(result);
        Assert.True(entry.HookFailed);
        var lines = entry.HookLog!.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^hook 1 \(success\): FAILED after \d+ ms: .*no such table: no_such_table", lines[0]);
        Assert.StartsWith("hook 2 (success) on db: ok, 1 row(s)", lines[1]);
        Assert.Equal(["1", "2"], await h.QueryAsync(db, "SELECT v FROM t_copy ORDER BY v"));
        Assert.Equal(["second"], await h.QueryAsync(db, "SELECT mark FROM marks"));
    }

    private static async Task<ConnectionRecord> CreateDatabaseAsync(SyncHarness h)
    {
        var db = await h.AddSqliteAsync("db");
        await h.ExecuteAsync(db,
            "CREATE TABLE t (v integer)", "INSERT INTO t VALUES (1), (2)", "CREATE TABLE t_copy (v integer)", "CREATE TABLE marks (mark text)");
        return db;
    }

    private static Module Module(ConnectionRecord db, string sourceQuery) => new()
    {
        Name = "hooked",
        SourceConnectionId = db.Id,
        DestConnectionId = db.Id,
        DestTable = "t_copy",
        SourceQuery = sourceQuery,
        MergeStrategy = MergeStrategy.Full,
        Columns = [new("v", "integer", "v", "integer")],
    };

    public sealed class OnSqlite() : HookFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : HookFacts(TestStateStore.Postgres(postgres));
}
