using Pipekit.Core.Drivers;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// A missing destination is created from the module's <c>columns_json</c> in the destination's own types; an existing
/// destination that lacks one of those columns is a clear error naming it.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DestinationFacts(PostgresFixture postgres)
{
    private static readonly ModuleColumn[] Columns =
    [
        new("id", "integer", "id", "integer"),
        new("amount", "numeric", "amount", "numeric(10,2)"),
        new("note", "text", "note", null),
        new("seen_at", "timestamp", "seen_at", "timestamp"),
    ];

    public static TheoryData<Engine, string, string[]> Destinations => new()
    {
        // information_schema's names; the untyped column gets the dialect's text type.
        { Engine.Postgres, "sales.orders_copy", ["integer", "numeric", "text", "timestamp without time zone"] },
        { Engine.DuckDb, "sales.orders_copy", ["INTEGER", "DECIMAL(10,2)", "VARCHAR", "TIMESTAMP"] },
        { Engine.Sqlite, "orders_copy", ["INTEGER", "numeric(10,2)", "TEXT", "timestamp"] },
    };

    [PostgresTheory]
    [MemberData(nameof(Destinations))]
    public async Task A_missing_destination_is_created_from_the_module_columns_typed_for_its_engine(Engine engine, string table, string[] types)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddAsync(engine, "dst", postgres);
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "created",
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = table,
            SourceQuery = "SELECT 1 AS id, 12.25 AS amount, 'x' AS note, '2026-01-02 03:04:05' AS seen_at",
            MergeStrategy = MergeStrategy.Full,
            Columns = Columns,
        });

        var result = await h.RunAsync(module);

        RunAssert.Succeeded(result, 1);
        Assert.Contains($"created destination table {table}", (await h.RunLogAsync(result)).LiveLog, StringComparison.Ordinal);
        await using var open = await h.Get<Pipekit.Core.Connections.ConnectionFactory>().OpenAsync(dest, null, CancellationToken.None);
        var columns = await new Introspector(open.Connection, open.Dialect).GetColumnsAsync(TableName.Parse(table), CancellationToken.None);
        Assert.Equal(["id", "amount", "note", "seen_at"], columns.Select(c => c.Name));
        Assert.Equal(types, columns.Select(c => c.DataType));
        Assert.Equal(["1|12.25|x|2026-01-02 03:04:05"], await h.QueryAsync(dest, $"SELECT * FROM {table}"));
    }

    [Theory]
    [InlineData(Engine.Sqlite)]
    [InlineData(Engine.DuckDb)]
    public async Task A_module_column_missing_from_an_existing_destination_is_an_error_naming_it(Engine engine)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddAsync(engine, "dst", null);
        await h.ExecuteAsync(dest, "CREATE TABLE orders_copy (id integer, note text)", "INSERT INTO orders_copy VALUES (7, 'kept')");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "drifted",
            SourceConnectionId = source.Id,
            DestConnectionId = dest.Id,
            DestTable = "orders_copy",
            SourceQuery = "SELECT 1 AS id, 'x' AS note, 'y' AS extra",
            MergeStrategy = MergeStrategy.Full,
            Columns = [new("id", null, "id", "integer"), new("note", null, "note", "text"), new("extra", null, "extra", "text")],
        });

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        Assert.Equal(
            "destination column 'extra' of module 'drifted' is missing from orders_copy (and so from staging); add it to the table, fix the module's columns, or set schema_change = \"add_columns\"",
            result.Error);
        Assert.Equal(["7|kept"], await h.QueryAsync(dest, "SELECT * FROM orders_copy"));
    }
}
