using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// Microsoft.Data.Sqlite checks a cancellation token only between rows; a SQLite source query that works for
/// minutes before its first row must still stop when its run is cancelled (the driver interrupts the connection).
/// </summary>
public sealed class SqliteCancellationFacts
{
    [Fact]
    public async Task Cancelling_a_run_stops_a_SQLite_query_that_has_not_produced_a_row_yet()
    {
        await using var h = await SyncHarness.StartAsync();
        var db = await h.AddSqliteAsync("db");
        await h.ExecuteAsync(db, "CREATE TABLE counted (n integer)", "INSERT INTO counted VALUES (7)");
        // Counting two billion generated rows takes many minutes before the one result row exists.
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "slow_count", SourceConnectionId = db.Id, DestConnectionId = db.Id, DestTable = "counted", MergeStrategy = MergeStrategy.Full,
            SourceQuery = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000000000) SELECT count(*) AS n FROM c",
            Columns = [new("n", "integer", "n", "integer")],
        });
        using var cancel = new CancellationTokenSource();
        var started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);

        // On a pool thread, as the server runs it: SQLite's provider completes "async" calls synchronously.
        var run = Task.Run(() => h.Runner.RunAsync(module.Id, new RunOptions { Started = id => started.TrySetResult(id) }, cancel.Token));
        var runId = await started.Task.WaitAsync(TimeSpan.FromMinutes(2));
        // Cancel only once the source query runs: its transfer line is in the live log.
        while (!(await h.Runs.GetAsync(runId, CancellationToken.None))!.LiveLog.Contains("transfer:", StringComparison.Ordinal))
            await Task.Delay(20);
        await Task.Delay(200);
        await cancel.CancelAsync();

        // A hang guard, not a timing assertion: without the interrupt the query would run on for minutes.
        var result = await run.WaitAsync(TimeSpan.FromMinutes(2));

        RunAssert.Ended(RunStatus.Cancelled, result);
        Assert.Equal("cancelled; the destination was left as it was", (await h.RunLogAsync(result)).Error);
        Assert.Equal(["7"], await h.DumpAsync(db, "counted", 1));
        Assert.False((await h.ReloadAsync(module)).Running);
    }
}
