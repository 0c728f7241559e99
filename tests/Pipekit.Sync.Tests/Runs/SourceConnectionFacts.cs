using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// A run opens a server source in the background while it checks the destination and resolves watermarks. A source
/// that cannot be opened still fails the run with its own error and leaves the destination as it was; when the
/// destination cannot be opened either, the run reports the destination (the connection it needed first), and the
/// source's failure is not left behind.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class SourceConnectionFacts(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task A_source_that_cannot_be_opened_fails_the_run_with_its_error_and_the_destination_keeps_its_rows()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddConnectionAsync("src", MissingDatabase("pipekit_no_source"));
        var dest = await h.AddPostgresAsync("dst", postgres);
        await h.ExecuteAsync(dest, "CREATE TABLE orders_copy (id integer, note text)", "INSERT INTO orders_copy VALUES (9, 'kept')");
        var module = await h.SaveModuleAsync(Module(source, dest));

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        Assert.Contains("\"pipekit_no_source\" does not exist", result.Error, StringComparison.Ordinal);
        Assert.Equal(["9|kept"], await h.DumpAsync(dest, "orders_copy", 2));
        Assert.False((await h.ReloadAsync(module)).Running);
    }

    [PostgresFact]
    public async Task When_neither_end_can_be_opened_the_run_names_the_destination_and_a_second_run_behaves_the_same()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddConnectionAsync("src", MissingDatabase("pipekit_no_source"));
        var dest = await h.AddConnectionAsync("dst", MissingDatabase("pipekit_no_dest"));
        var module = await h.SaveModuleAsync(Module(source, dest));

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var result = await h.RunAsync(module);

            RunAssert.Ended(RunStatus.Error, result);
            Assert.Contains("\"pipekit_no_dest\" does not exist", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("pipekit_no_source", result.Error, StringComparison.Ordinal);
            Assert.False((await h.ReloadAsync(module)).Running);
        }
    }

    // The test cluster's URI with a database that was never created: the server refuses the connection at once.
    private string MissingDatabase(string database) => postgres.Cluster.Uri(database);

    private static Module Module(ConnectionRecord source, ConnectionRecord dest) => new()
    {
        Name = "orders",
        SourceConnectionId = source.Id,
        DestConnectionId = dest.Id,
        DestTable = "orders_copy",
        SourceQuery = "SELECT id, note FROM orders",
        MergeStrategy = MergeStrategy.Full,
        Columns = [new ModuleColumn("id", null, "id", "integer"), new ModuleColumn("note", null, "note", "text")],
    };
}
