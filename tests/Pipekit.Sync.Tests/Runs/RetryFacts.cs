using Pipekit.Core.Retries;
using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// A module's retries against a real PostgreSQL source: a transient error (the server killing the session, a serialization
/// failure) starts the run again, and every attempt is in the live log; a terminal error fails at once; a cancellation
/// during the wait ends the run as cancelled.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class RetryFacts(PostgresFixture postgres)
{
    // nextval() is outside every transaction, so the count of calls survives the failed attempt that made it.
    private const string FlakyFunctions = """
        CREATE SEQUENCE calls;
        CREATE FUNCTION killed_once() RETURNS integer LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('calls') = 1 THEN PERFORM pg_terminate_backend(pg_backend_pid()); PERFORM pg_sleep(5); END IF;
            RETURN 1;
        END $$;
        CREATE FUNCTION unserializable(times integer) RETURNS integer LANGUAGE plpgsql AS $$
        BEGIN
            IF nextval('calls') <= times THEN
                RAISE EXCEPTION 'could not serialize access due to concurrent update' USING ERRCODE = 'serialization_failure';
            END IF;
            RETURN 1;
        END $$;
        """;

    [PostgresFact]
    public async Task A_session_the_server_terminates_mid_run_is_retried_and_the_second_attempt_lands_the_rows()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await ConnectionsAsync(h);
        var module = await h.SaveModuleAsync(Module(source, dest, "SELECT id, note FROM orders WHERE killed_once() = 1") with
        {
            Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(50),
        });

        var result = await h.RunAsync(module);

        RunAssert.Succeeded(result, 3);
        var entry = await h.RunLogAsync(result);
        Assert.Equal(2, entry.Attempts);
        Assert.Contains("attempt 1/3\n", entry.LiveLog, StringComparison.Ordinal);
        Assert.Matches(@"attempt 1/3 failed with a transient error: .*terminating connection due to administrator command.*; retrying in 50ms\n", entry.LiveLog);
        Assert.Contains("attempt 2/3\n", entry.LiveLog, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 3/3", entry.LiveLog, StringComparison.Ordinal);
        Assert.Equal(["1|one", "2|two", "3|three"], await h.DumpAsync(dest, "orders_copy", 2));
    }

    [PostgresFact]
    public async Task Serialization_failures_on_every_attempt_fail_the_run_after_the_last_retry_with_the_destination_as_it_was()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await ConnectionsAsync(h);
        await h.ExecuteAsync(dest, "CREATE TABLE orders_copy (id integer, note text)", "INSERT INTO orders_copy VALUES (9, 'kept')");
        var module = await h.SaveModuleAsync(Module(source, dest, "SELECT id, note FROM orders WHERE unserializable(100) = 1") with
        {
            Retries = 2, RetryDelay = TimeSpan.FromMilliseconds(10), RetryBackoff = RetryBackoff.Exponential,
        });

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        var entry = await h.RunLogAsync(result);
        Assert.Equal(3, entry.Attempts);
        Assert.Contains("could not serialize access", entry.Error, StringComparison.Ordinal);
        Assert.Contains("attempt 1/3 failed with a transient error", entry.LiveLog, StringComparison.Ordinal);
        Assert.Contains("retrying in 10ms", entry.LiveLog, StringComparison.Ordinal);
        Assert.Contains("attempt 2/3 failed with a transient error", entry.LiveLog, StringComparison.Ordinal);
        Assert.Contains("retrying in 20ms", entry.LiveLog, StringComparison.Ordinal);
        Assert.Contains("attempt 3/3\n", entry.LiveLog, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 3/3 failed", entry.LiveLog, StringComparison.Ordinal);
        Assert.Equal(["9|kept"], await h.DumpAsync(dest, "orders_copy", 2));
        Assert.False((await h.ReloadAsync(module)).Running);
    }

    [PostgresFact]
    public async Task A_missing_column_fails_at_once_whatever_the_retries()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await ConnectionsAsync(h);
        var module = await h.SaveModuleAsync(Module(source, dest, "SELECT id, no_such_column AS note FROM orders WHERE unserializable(0) = 1") with
        {
            Retries = 3, RetryDelay = TimeSpan.FromMilliseconds(10),
        });

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        var entry = await h.RunLogAsync(result);
        Assert.Equal(1, entry.Attempts);
        Assert.Contains("no_such_column", entry.Error, StringComparison.Ordinal);
        Assert.Contains("attempt 1/4\n", entry.LiveLog, StringComparison.Ordinal);
        Assert.DoesNotContain("transient", entry.LiveLog, StringComparison.Ordinal);
        Assert.DoesNotContain("attempt 2/4", entry.LiveLog, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task Cancelling_while_a_run_waits_to_retry_ends_it_cancelled_without_another_attempt()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest) = await ConnectionsAsync(h);
        var module = await h.SaveModuleAsync(Module(source, dest, "SELECT id, note FROM orders WHERE unserializable(100) = 1") with
        {
            Retries = 1, RetryDelay = TimeSpan.FromHours(1),
        });
        using var cancel = new CancellationTokenSource();
        var runId = new TaskCompletionSource<long>();

        var run = h.Runner.RunAsync(module.Id, new RunOptions { Started = id => runId.SetResult(id) }, cancel.Token);
        var id = await runId.Task.WaitAsync(TimeSpan.FromMinutes(1));
        // The run is waiting once its live log says so; then it is cancelled, as `pipekit cancel` would.
        while (!(await h.Runs.GetAsync(id, CancellationToken.None))!.LiveLog.Contains("retrying in 1h", StringComparison.Ordinal))
            await Task.Delay(50);
        await cancel.CancelAsync();
        var result = await run.WaitAsync(TimeSpan.FromMinutes(1));

        RunAssert.Ended(RunStatus.Cancelled, result);
        var entry = await h.RunLogAsync(result);
        Assert.DoesNotContain("attempt 2/2", entry.LiveLog, StringComparison.Ordinal);
        Assert.EndsWith("cancelled\n", entry.LiveLog, StringComparison.Ordinal);
        Assert.False((await h.ReloadAsync(module)).Running);
    }

    [PostgresFact]
    public async Task Retries_are_stored_with_the_module()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = TestStateStore.Postgres(postgres) });
        var (source, dest) = await ConnectionsAsync(h);
        var saved = await h.SaveModuleAsync(Module(source, dest, "SELECT id, note FROM orders") with
        {
            Retries = 4, RetryDelay = TimeSpan.FromSeconds(90), RetryBackoff = RetryBackoff.Exponential,
        });

        var reloaded = await h.ReloadAsync(saved);

        Assert.Equal((4, TimeSpan.FromSeconds(90), RetryBackoff.Exponential), (reloaded.Retries, reloaded.RetryDelay, reloaded.RetryBackoff));
    }

    [Theory]
    [InlineData(RetryBackoff.Fixed, 1, 30)]
    [InlineData(RetryBackoff.Fixed, 4, 30)]
    [InlineData(RetryBackoff.Exponential, 1, 30)]
    [InlineData(RetryBackoff.Exponential, 2, 60)]
    [InlineData(RetryBackoff.Exponential, 3, 120)]
    [InlineData(RetryBackoff.Exponential, 10, 3600)]
    public void The_wait_before_a_retry_follows_the_backoff_and_stops_growing_at_an_hour(RetryBackoff backoff, int failedAttempt, int seconds)
    {
        var module = new Module { Name = "m", DestTable = "t", SourceQuery = "SELECT 1", RetryDelay = TimeSpan.FromSeconds(30), RetryBackoff = backoff };

        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryPolicy.DelayAfter(module, failedAttempt));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Retries_outside_zero_to_ten_are_refused_naming_the_field(int retries)
    {
        var module = new Module { Name = "m", SourceConnectionId = 1, DestConnectionId = 1, DestTable = "t", SourceQuery = "SELECT 1", Retries = retries };

        var error = Assert.Throws<Core.Validation.ValidationException>(() => ModuleValidator.Validate(module, new HashSet<long> { 1 }));

        Assert.Contains("retries", error.Message, StringComparison.Ordinal);
    }

    private async Task<(ConnectionRecord Source, ConnectionRecord Dest)> ConnectionsAsync(SyncHarness h)
    {
        var source = await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddPostgresAsync("dst", postgres);
        await h.ExecuteAsync(source, "CREATE TABLE orders (id integer, note text)", "INSERT INTO orders VALUES (1, 'one'), (2, 'two'), (3, 'three')", FlakyFunctions);
        return (source, dest);
    }

    private static Module Module(ConnectionRecord source, ConnectionRecord dest, string sourceQuery) => new()
    {
        Name = "flaky",
        SourceConnectionId = source.Id,
        DestConnectionId = dest.Id,
        DestTable = "orders_copy",
        SourceQuery = sourceQuery,
        MergeStrategy = MergeStrategy.Full,
        Columns = [new ModuleColumn("id", null, "id", "integer"), new ModuleColumn("note", null, "note", "text")],
    };
}
