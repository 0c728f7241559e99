using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Postgres;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers.Postgres;

/// <summary>PostgreSQL's raw COPY pump, the <see cref="IRawCopy"/> capability of its driver.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresRawCopyFacts(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PostgresFact]
    public async Task A_source_of_another_engine_gets_no_raw_copy_and_nothing_is_written()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("sqlite");
        await dbs.ExecuteAsync(source, "CREATE TABLE src (n INTEGER)", "INSERT INTO src VALUES (1)");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(destination, "CREATE TABLE t (n integer)");
        var driver = (IRawCopy)dbs.Drivers.Get("postgres");

        await using (var from = await dbs.OpenAsync(source))
        await using (var to = await dbs.OpenAsync(destination))
        {
            var rows = await driver.TryRawCopyAsync(
                new RawCopyRequest(from, null, "SELECT n FROM src", to, new BulkWriteTarget(new TableName("t"), ["n"])), new Progress<long>(), CancellationToken.None);
            Assert.Null(rows);
        }

        Assert.Equal(0, await dbs.CountAsync(destination, "t"));
    }

    [PostgresFact]
    public async Task Rows_spanning_many_chunks_and_a_value_wider_than_a_chunk_arrive_byte_for_byte()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("postgres");
        var destination = await dbs.CreateAsync("postgres");
        const string table = "(id integer, txt text, n numeric(20,6), ts timestamptz, b bytea)";
        await dbs.ExecuteAsync(source, $"CREATE TABLE src {table}",
            "INSERT INTO src SELECT g, repeat(md5(g::text), 1 + g % 7), g * 1.000001, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', " +
            "CASE WHEN g % 3 = 0 THEN NULL ELSE decode(md5(g::text), 'hex') END FROM generate_series(1, 20000) g",
            // One value of 300 KB: its CopyData message is larger than the pump's chunk.
            "INSERT INTO src VALUES (20001, repeat('x', 300000), 0, NULL, NULL)");
        await dbs.ExecuteAsync(destination, $"CREATE TABLE dst {table}");
        var driver = (IRawCopy)dbs.Drivers.Get("postgres");
        var reported = new List<long>();

        await using (var from = await dbs.OpenAsync(source))
        await using (var to = await dbs.OpenAsync(destination))
        {
            var rows = await driver.TryRawCopyAsync(
                new RawCopyRequest(from, null, "SELECT id, txt, n, ts, b FROM src", to, new BulkWriteTarget(new TableName("dst"), [])),
                new SynchronousProgress(reported), CancellationToken.None);
            Assert.Equal(20001, rows);
        }

        const string digest = "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM {0} t";
        var expected = (await dbs.QueryAsync(source, string.Format(System.Globalization.CultureInfo.InvariantCulture, digest, "src")))[0][0];
        var actual = (await dbs.QueryAsync(destination, string.Format(System.Globalization.CultureInfo.InvariantCulture, digest, "dst")))[0][0];
        Assert.Equal(expected, actual);
        Assert.True(reported.Count > 1, "progress is reported as chunks pass, not only at the end");
        Assert.Equal(20001, reported[^1]);
    }

    [PostgresFact]
    public async Task A_row_the_destination_rejects_after_many_chunks_fails_naming_the_error_and_leaves_the_table_empty()
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("postgres");
        var destination = await dbs.CreateAsync("postgres");
        await dbs.ExecuteAsync(source, "CREATE TABLE src (id integer, txt text)",
            "INSERT INTO src SELECT g, repeat(md5(g::text), 4) FROM generate_series(1, 30000) g");
        await dbs.ExecuteAsync(destination, "CREATE TABLE dst (id integer CONSTRAINT below_limit CHECK (id < 29000), txt text)");
        var driver = (IRawCopy)dbs.Drivers.Get("postgres");

        await using (var from = await dbs.OpenAsync(source))
        await using (var to = await dbs.OpenAsync(destination))
        {
            var error = await Assert.ThrowsAnyAsync<Exception>(() => driver.TryRawCopyAsync(
                new RawCopyRequest(from, null, "SELECT id, txt FROM src ORDER BY id", to, new BulkWriteTarget(new TableName("dst"), [])),
                new Progress<long>(), CancellationToken.None));
            Assert.Contains("below_limit", error.Message, StringComparison.Ordinal);
            // Both connections are usable again: the export was abandoned and the import rolled back.
            await using var check = from.CreateCommand();
            check.CommandText = "SELECT 1";
            Assert.Equal(1, Convert.ToInt32(await check.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(0, await dbs.CountAsync(destination, "dst"));
    }

    /// <summary>Records each report on the reporting thread (<see cref="Progress{T}"/> posts them later).</summary>
    private sealed class SynchronousProgress(List<long> reports) : IProgress<long>
    {
        public void Report(long value) => reports.Add(value);
    }

    [Theory]
    [InlineData("SELECT 1", true)]
    [InlineData("  -- note\n/* why */ WITH x AS (SELECT 1) SELECT * FROM x", true)]
    [InlineData("(SELECT 1) UNION (SELECT 2)", true)]
    [InlineData("values (1)", true)]
    [InlineData("TABLE t", true)]
    [InlineData("SELECTED_ROWS", false)]
    [InlineData("SHOW server_version", false)]
    [InlineData("EXPLAIN SELECT 1", false)]
    [InlineData("SELECT 1;", true)]
    [InlineData("SELECT 1; -- done", false)]
    [InlineData("SELECT 1; SELECT 2", false)]
    public void Only_queries_take_the_raw_copy_path(string sql, bool raw) => Assert.Equal(raw, PostgresRawCopy.IsQuery(sql));

    [Fact]
    public void The_row_counter_counts_binary_copy_rows_across_any_chunking()
    {
        var stream = new List<byte>();
        stream.AddRange([(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0]);
        stream.AddRange([0, 0, 0, 0]);      // flags
        stream.AddRange([0, 0, 0, 2, 9, 9]); // header extension of 2 bytes
        for (var row = 0; row < 3; row++)
        {
            stream.AddRange([0, 2]);               // two fields
            stream.AddRange([0, 0, 0, 4, 1, 2, 3, 4]); // 4-byte value
            stream.AddRange([0xFF, 0xFF, 0xFF, 0xFF]); // NULL
        }
        stream.AddRange([0xFF, 0xFF]);          // trailer
        var bytes = stream.ToArray();

        foreach (var chunk in new[] { 1, 2, 3, 7, bytes.Length })
        {
            var counter = new BinaryCopyRowCounter();
            for (var i = 0; i < bytes.Length; i += chunk)
                counter.Consume(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
            Assert.Equal(3, counter.Rows);
            Assert.True(counter.Finished);
        }
    }
}
