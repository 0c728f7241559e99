using Pipekit.Core.Drivers;
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
    public async Task Complete_commits_and_the_writer_then_takes_no_more_rows(string kind)
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

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task A_failed_load_is_rolled_back_at_once_and_the_writer_refuses_to_complete(string kind)
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("sqlite");
        await dbs.ExecuteAsync(source, "CREATE TABLE src (n INTEGER)", "INSERT INTO src VALUES (1), (NULL), (3)");
        var destination = await dbs.CreateAsync(kind);
        await dbs.ExecuteAsync(destination, "CREATE TABLE t (n integer NOT NULL)");

        await using (var from = await dbs.OpenAsync(source))
        await using (var to = await dbs.OpenAsync(destination))
        {
            await using var command = from.CreateCommand();
            command.CommandText = "SELECT n FROM src";
            await using var reader = await command.ExecuteReaderAsync();
            await using var writer = dbs.Drivers.Get(kind).CreateBulkWriter(to, new BulkWriteTarget(new TableName("t"), ["n"]));
            // engines reject the NULL while rows stream (SQLite) or when the load is closed (COPY, the appender)
            await Assert.ThrowsAsync<DriverException>(async () =>
            {
                await writer.WriteAsync(reader, null, CancellationToken.None);
                await writer.CompleteAsync(CancellationToken.None);
            });

            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(CancellationToken.None));
            Assert.Contains("rolled back", refused.Message);
            // the transaction is already over, so the connection takes new work before the writer is disposed
            await using var probe = to.CreateCommand();
            probe.CommandText = "SELECT count(*) FROM t";
            Assert.Equal(0L, Convert.ToInt64(await probe.ExecuteScalarAsync()));
        }

        Assert.Equal(0, await dbs.CountAsync(destination, "t"));
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task Two_writes_before_completion_are_committed_together(string kind)
    {
        var dbs = new TestDatabases(postgres, _dir);
        var source = await dbs.CreateAsync("sqlite");
        await dbs.ExecuteAsync(source, "CREATE TABLE src (n INTEGER)", "INSERT INTO src VALUES (1), (2), (3)");
        var destination = await dbs.CreateAsync(kind);
        await dbs.ExecuteAsync(destination, "CREATE TABLE t (n integer)");

        await using (var from = await dbs.OpenAsync(source))
        await using (var to = await dbs.OpenAsync(destination))
        {
            await using var writer = dbs.Drivers.Get(kind).CreateBulkWriter(to, new BulkWriteTarget(new TableName("t"), ["n"]));
            foreach (var sql in new[] { "SELECT n FROM src WHERE n < 3", "SELECT n FROM src WHERE n = 3" })
            {
                await using var command = from.CreateCommand();
                command.CommandText = sql;
                await using var reader = await command.ExecuteReaderAsync();
                await writer.WriteAsync(reader, null, CancellationToken.None);
            }
            await writer.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(3, await dbs.CountAsync(destination, "t"));
    }

    [PostgresTheory]
    [InlineData("postgres")]
    [InlineData("duckdb")]
    [InlineData("sqlite")]
    public async Task Completing_without_a_write_ends_the_writer_and_changes_nothing(string kind)
    {
        var dbs = new TestDatabases(postgres, _dir);
        var destination = await dbs.CreateAsync(kind);
        await dbs.ExecuteAsync(destination, "CREATE TABLE t (n integer)");

        await using (var to = await dbs.OpenAsync(destination))
        {
            await using var writer = dbs.Drivers.Get(kind).CreateBulkWriter(to, new BulkWriteTarget(new TableName("t"), ["n"]));
            await writer.CompleteAsync(CancellationToken.None);
            var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => writer.CompleteAsync(CancellationToken.None));
            Assert.Contains("already committed", refused.Message);
            await writer.DisposeAsync();
            await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.CompleteAsync(CancellationToken.None));
        }

        Assert.Equal(0, await dbs.CountAsync(destination, "t"));
    }
}
