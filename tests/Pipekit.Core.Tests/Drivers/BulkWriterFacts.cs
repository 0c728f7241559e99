using Pipekit.Core.Drivers;
using Pipekit.Core.Drivers.Postgres;
using Pipekit.Core.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Core.Tests.Drivers;

[Collection(PostgresCollection.Name)]
public sealed class BulkWriterFacts(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task Disposing_without_complete_rolls_the_write_back(string kind)
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("sqlite");
        await dbs.ExecuteAsync(source, "CREATE TABLE src (n INTEGER)", "INSERT INTO src VALUES (1), (2), (3)");
        var destination = await dbs.CreateAsync(kind);
        await dbs.ExecuteAsync(destination, "CREATE TABLE t (n integer)");

        await using (var from = await dbs.OpenAsync(source))
        await using (var to = await dbs.OpenAsync(destination))
        {
            await using var command = from.CreateCommand();
            command.CommandText = "SELECT n FROM src";
            await using var reader = await command.ExecuteReaderAsync();
            await using var writer = dbs.Drivers.Get(kind).CreateBulkWriter(to, new BulkWriteTarget(new TableName("t"), ["n"]));
            Assert.Equal(3, await writer.WriteAsync(reader, null, CancellationToken.None));
        }

        Assert.Equal(0, await dbs.CountAsync(destination, "t"));
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task Complete_commits_and_a_writer_writes_only_once(string kind)
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("sqlite");
        await dbs.ExecuteAsync(source, "CREATE TABLE src (n INTEGER)", "INSERT INTO src VALUES (1), (2)");
        var destination = await dbs.CreateAsync(kind);
        await dbs.ExecuteAsync(destination, "CREATE TABLE t (n integer)");

        await using (var from = await dbs.OpenAsync(source))
        await using (var to = await dbs.OpenAsync(destination))
        {
            await using var command = from.CreateCommand();
            command.CommandText = "SELECT n FROM src";
            await using var reader = await command.ExecuteReaderAsync();
            await using var writer = dbs.Drivers.Get(kind).CreateBulkWriter(to, new BulkWriteTarget(new TableName("t"), ["n"]));
            await writer.WriteAsync(reader, null, CancellationToken.None);
            await writer.CompleteAsync(CancellationToken.None);
            await Assert.ThrowsAsync<InvalidOperationException>(() => writer.WriteAsync(reader, null, CancellationToken.None));
        }

        Assert.Equal(2, await dbs.CountAsync(destination, "t"));
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
