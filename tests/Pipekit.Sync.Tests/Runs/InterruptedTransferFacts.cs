using Pipekit.Core.Connections;
using Pipekit.Core.Transfer;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// A run stopped half-way — cancelled while the source streams, or failed on a bad row far into it — leaves the
/// destination exactly as it was, records what happened, and releases the lock.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class InterruptedTransferFacts(PostgresFixture postgres)
{
    private static readonly string[] Before = ["1|one", "2|two", "3|three"];

    [PostgresTheory]
    [InlineData(Engine.Postgres)]
    [InlineData(Engine.DuckDb)]
    public async Task Cancelling_while_the_source_streams_leaves_the_destination_as_it_was(Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await h.ExecuteAsync(dest, "CREATE TABLE big_copy (id integer, note text)", "INSERT INTO big_copy VALUES (1, 'one'), (2, 'two'), (3, 'three')");
        Assert.Equal(Before, await h.DumpAsync(dest, "big_copy", 2));
        // Far more rows than stream in the second before the first progress report, which is when the test cancels. The
        // series is in the SELECT list, where it streams; in FROM the server would materialise all of it first.
        var module = await h.SaveModuleAsync(Module(source, dest, "SELECT id, 'row ' || id AS note FROM (SELECT generate_series(1, 50000000) AS id) s",
            ("id", "integer"), ("note", "text")));
        using var cancel = new CancellationTokenSource();

        var result = await h.Runner.RunAsync(module.Id, new RunOptions { Progress = new CancelOnFirstRows(cancel) }, cancel.Token);

        RunAssert.Ended(RunStatus.Cancelled, result);
        var entry = await h.RunLogAsync(result);
        Assert.Equal("cancelled; the destination was left as it was", entry.Error);
        Assert.Matches(@"\n[\d,]+ rows, ", entry.LiveLog);
        Assert.EndsWith("cancelled\n", entry.LiveLog);
        Assert.Equal(Before, await h.DumpAsync(dest, "big_copy", 2));
        Assert.False((await h.ReloadAsync(module)).Running);
    }

    public static TheoryData<Engine, Engine, string, string> PoisonedRows => new()
    {
        // Text into an integer column: the typed COPY path converts each value and stops at the bad one.
        {
            Engine.Postgres, Engine.Postgres,
            "SELECT g AS id, CASE WHEN g = 150000 THEN 'x' ELSE g::text END AS qty FROM generate_series(1, 200000) g",
            "row 150000, column \"qty\": cannot convert 'x' to integer"
        },
        // Matching types take the raw COPY path; the server rejects the value that overflows numeric(6,1).
        {
            Engine.Postgres, Engine.Postgres,
            "SELECT g AS id, (CASE WHEN g = 150000 THEN 100000 ELSE g % 1000 END)::numeric AS qty FROM generate_series(1, 200000) g",
            "row 150000: column qty of big_copy is numeric(6,1), and the value has more than 5 digit(s) before the decimal point"
        },
        {
            Engine.Sqlite, Engine.DuckDb,
            "WITH RECURSIVE g(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM g WHERE n < 200000) SELECT n AS id, CASE WHEN n = 150000 THEN 'x' ELSE n END AS qty FROM g",
            "row 150000, column \"qty\": cannot convert 'x' to INTEGER"
        },
    };

    [PostgresTheory]
    [MemberData(nameof(PoisonedRows))]
    public async Task A_bad_row_far_into_the_stream_fails_the_run_and_leaves_the_destination_as_it_was(Engine from, Engine to, string sourceQuery, string error)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        var qtyType = sourceQuery.Contains("::numeric", StringComparison.Ordinal) ? "numeric(6,1)" : "integer";
        await h.ExecuteAsync(dest, $"CREATE TABLE big_copy (id integer, qty {qtyType})", "INSERT INTO big_copy VALUES (1, 1), (2, 2), (3, 3)");
        var before = await h.DumpAsync(dest, "big_copy", 2);
        var module = await h.SaveModuleAsync(Module(source, dest, sourceQuery, ("id", "integer"), ("qty", qtyType)));

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        var entry = await h.RunLogAsync(result);
        Assert.Contains(error, entry.Error, StringComparison.Ordinal);
        Assert.Equal(before, await h.DumpAsync(dest, "big_copy", 2));
        Assert.False((await h.ReloadAsync(module)).Running);
        Assert.True(await h.TableExistsAsync(dest, to == Engine.Sqlite ? "pipekit_staging__big" : "pipekit_staging.big"), "staging is kept after a failure");
    }

    private static Module Module(ConnectionRecord source, ConnectionRecord dest, string sourceQuery, params (string Name, string Type)[] columns) => new()
    {
        Name = "big",
        SourceConnectionId = source.Id,
        DestConnectionId = dest.Id,
        DestTable = "big_copy",
        SourceQuery = sourceQuery,
        MergeStrategy = MergeStrategy.Full,
        Columns = columns.Select(c => new ModuleColumn(c.Name, null, c.Name, c.Type)).ToList(),
    };

    /// <summary>Cancels once rows are known to be streaming: the first progress report comes a second into the transfer.</summary>
    private sealed class CancelOnFirstRows(CancellationTokenSource cancel) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            // Asynchronously: the report arrives on the transfer's own thread, which must not run the cancellation callbacks.
            if (value.Rows > 0) _ = cancel.CancelAsync();
        }
    }
}
