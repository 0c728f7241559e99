using Pipekit.Query.Engine;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Query.Tests.Engine;

public sealed class QueryEngineFacts
{
    [Fact]
    public async Task Two_queries_run_at_the_same_time_on_separate_connections()
    {
        // Each query calls rendezvous(), which waits until the other query has called it too. With one shared
        // connection (the seed's design) the second query would queue behind the first and both would time out.
        using var barrier = new Barrier(2);
        using var engine = QueryTestEngine.Create(beforeSandbox: connection =>
            connection.RegisterScalarFunction<bool>("rendezvous", (writer, rows) =>
            {
                for (ulong i = 0; i < rows; i++) writer.WriteValue(barrier.SignalAndWait(TimeSpan.FromSeconds(20)), i);
            }));
        async Task<bool> Run() => (bool)(await Task.Run(() => QueryTestEngine.RowsAsync(engine, "SELECT rendezvous()")))[0][0]!;

        var both = await Task.WhenAll(Run(), Run());

        Assert.Equal([true, true], both);
    }

    [Fact]
    public async Task A_query_sees_the_old_set_of_views_or_the_new_one_never_half_during_refreshes()
    {
        using var dir = new TempDirectory();
        using var engine = QueryTestEngine.Create(maxConcurrent: 4, maxQueued: 100);
        // Generation g publishes views a and b that both return g; a query joining them must always see equal values.
        for (var g = 0; g < 4; g++)
        {
            QueryTestEngine.WriteParquet(dir.File($"a{g}.parquet"), $"SELECT {g} AS g");
            QueryTestEngine.WriteParquet(dir.File($"b{g}.parquet"), $"SELECT {g} AS g");
        }
        ViewDefinition[] Set(int g) => [QueryTestEngine.ParquetView("a", dir.File($"a{g}.parquet")), QueryTestEngine.ParquetView("b", dir.File($"b{g}.parquet"))];
        await engine.PublishAsync(Set(0), CancellationToken.None);

        using var stop = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            for (var i = 1; i <= 40; i++) await engine.PublishAsync(Set(i % 4), CancellationToken.None);
            stop.Cancel();
        });
        var mismatches = 0;
        var queries = 0;
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var row = (await QueryTestEngine.RowsAsync(engine, "SELECT (SELECT g FROM a), (SELECT g FROM b)"))[0];
                Interlocked.Increment(ref queries);
                if (!Equals(row[0], row[1])) Interlocked.Increment(ref mismatches);
            }
        })).ToArray();
        await publisher;
        await Task.WhenAll(readers);

        Assert.True(queries > 0);
        Assert.Equal(0, mismatches);
        Assert.Equal(41, engine.Generation);
    }

    [Fact]
    public async Task A_failed_connection_setup_does_not_spoil_later_connections()
    {
        using var engine = QueryTestEngine.Create();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => engine.OpenAsync("SELECT 1", cancelled.Token));

        Assert.Equal(1, (int)(await QueryTestEngine.RowsAsync(engine, "SELECT 1"))[0][0]!);
    }

    [Fact]
    public async Task A_query_past_its_timeout_is_interrupted()
    {
        using var engine = QueryTestEngine.Create(timeout: TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<QueryTimeoutException>(() =>
            QueryTestEngine.RowsAsync(engine, "SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 3"));

        Assert.Equal(2, (int)(await QueryTestEngine.RowsAsync(engine, "SELECT 2"))[0][0]!);
    }

    [Fact]
    public async Task A_query_beyond_the_slots_and_the_queue_is_refused_as_busy()
    {
        using var gate = new ManualResetEventSlim();
        using var entered = new SemaphoreSlim(0);
        using var engine = QueryTestEngine.Create(maxConcurrent: 1, maxQueued: 1, beforeSandbox: connection =>
            connection.RegisterScalarFunction<bool>("hold", (writer, rows) =>
            {
                entered.Release();
                for (ulong i = 0; i < rows; i++) writer.WriteValue(gate.Wait(TimeSpan.FromSeconds(20)), i);
            }));

        var running = Task.Run(() => QueryTestEngine.RowsAsync(engine, "SELECT hold()"));
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(20)));
        var queued = Task.Run(() => QueryTestEngine.RowsAsync(engine, "SELECT 1"));
        while (!queued.IsCompleted && engine.Waiting == 0) await Task.Delay(10);

        var busy = await Assert.ThrowsAsync<QueryBusyException>(() => engine.OpenAsync("SELECT 2", CancellationToken.None));
        gate.Set();
        await running;
        await queued;

        Assert.True(busy.RetryAfter > TimeSpan.Zero);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n ")]
    public async Task Empty_sql_is_refused(string sql)
    {
        using var engine = QueryTestEngine.Create();

        var error = await Assert.ThrowsAsync<QueryException>(() => engine.OpenAsync(sql, CancellationToken.None));

        Assert.Contains("empty", error.Message);
    }

    [Fact]
    public async Task A_duckdb_error_is_reported_with_secrets_redacted()
    {
        using var engine = QueryTestEngine.Create(redactor: new Core.Secrets.Redactor(["sup3rsecret"]));

        var error = await Assert.ThrowsAsync<QueryException>(() => engine.OpenAsync("SELECT * FROM sup3rsecret", CancellationToken.None));

        Assert.DoesNotContain("sup3rsecret", error.Message);
        Assert.Contains("***", error.Message);
    }

    [Fact]
    public async Task A_connection_is_kept_after_a_clean_query_and_used_by_the_next()
    {
        using var engine = QueryTestEngine.Create();

        await QueryTestEngine.RowsAsync(engine, "SELECT 1");
        Assert.Equal(1, engine.IdleConnections);
        await QueryTestEngine.RowsAsync(engine, "SELECT 2");

        Assert.Equal(1, engine.IdleConnections);
    }

    [Fact]
    public async Task A_connection_whose_query_failed_or_timed_out_is_closed_not_kept()
    {
        using var engine = QueryTestEngine.Create(timeout: TimeSpan.FromMilliseconds(300));

        await Assert.ThrowsAsync<QueryException>(() => engine.OpenAsync("SELECT * FROM no_such_table", CancellationToken.None));
        await Assert.ThrowsAsync<QueryException>(() =>
            QueryTestEngine.RowsAsync(engine, "SELECT CASE WHEN i = 5000 THEN error('boom') ELSE i END FROM range(10000) t(i)"));
        await Assert.ThrowsAsync<QueryTimeoutException>(() =>
            QueryTestEngine.RowsAsync(engine, "SELECT count(*) FROM range(100000000000) t(i) WHERE i % 7 = 3"));

        Assert.Equal(0, engine.IdleConnections);
        Assert.Equal(3, (int)(await QueryTestEngine.RowsAsync(engine, "SELECT 3"))[0][0]!);
    }

    [Fact]
    public async Task A_publish_leaves_the_old_databases_idle_connections_behind()
    {
        using var dir = new TempDirectory();
        QueryTestEngine.WriteParquet(dir.File("a.parquet"), "SELECT 7 AS v");
        using var engine = QueryTestEngine.Create();
        await QueryTestEngine.RowsAsync(engine, "SELECT 1");

        await engine.PublishAsync([QueryTestEngine.ParquetView("a", dir.File("a.parquet"))], CancellationToken.None);

        Assert.Equal(0, engine.IdleConnections);
        Assert.Equal(7, (int)(await QueryTestEngine.RowsAsync(engine, "SELECT v FROM a"))[0][0]!);
    }

    [Fact]
    public async Task Parquet_footers_are_cached_and_a_file_rewritten_in_place_is_read_afresh()
    {
        using var dir = new TempDirectory();
        var file = dir.File("t.parquet");
        QueryTestEngine.WriteParquet(file, "SELECT 1 AS v");
        using var engine = QueryTestEngine.Create();
        await engine.PublishAsync([QueryTestEngine.ParquetView("t", file)], CancellationToken.None);
        Assert.Equal(true, (await QueryTestEngine.RowsAsync(engine, "SELECT current_setting('parquet_metadata_cache')"))[0][0]);
        Assert.Equal(11, (int)(await QueryTestEngine.RowsAsync(engine, "SELECT (count(*) * 10 + max(v))::INTEGER FROM t"))[0][0]!);

        // Within the same second as the first read: the modification time alone may not tell them apart.
        QueryTestEngine.WriteParquet(file, "SELECT 2 AS v FROM range(3)");

        Assert.Equal(32, (int)(await QueryTestEngine.RowsAsync(engine, "SELECT (count(*) * 10 + max(v))::INTEGER FROM t"))[0][0]!);
    }
}
