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
