using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Tests.Fixtures;

/// <summary>
/// The small orders table most tests sync: <c>(region, order_no, qty, note, version)</c>, keyed by region and
/// order number together. Its DDL and DML are plain SQL that PostgreSQL, SQLite and DuckDB all accept.
/// </summary>
internal static class Orders
{
    public const string Table = "orders";
    public const string Copy = "orders_copy";
    public const string Select = "SELECT region, order_no, qty, note, version FROM orders";
    public const int ColumnCount = 5;

    public static readonly string[] FirstRows = ["north|1|10|a|1", "north|2|20|b|1", "south|1|30|c|1"];

    public static IReadOnlyList<ModuleColumn> Columns { get; } =
    [
        new("region", "text", "region", "text"),
        new("order_no", "integer", "order_no", "integer"),
        new("qty", "integer", "qty", "integer"),
        new("note", "text", "note", "text"),
        new("version", "integer", "version", "integer"),
    ];

    public static string CreateTable(string name) =>
        $"CREATE TABLE {name} (region text, order_no integer, qty integer, note text, version integer)";

    /// <summary>Creates the source table with <see cref="FirstRows"/> and an empty destination copy.</summary>
    public static async Task CreateAsync(SyncHarness harness, ConnectionRecord source, ConnectionRecord destination)
    {
        await harness.ExecuteAsync(source, CreateTable(Table),
            "INSERT INTO orders VALUES ('north', 1, 10, 'a', 1), ('north', 2, 20, 'b', 1), ('south', 1, 30, 'c', 1)");
        await harness.ExecuteAsync(destination, CreateTable(Copy));
    }

    public static Module Module(ConnectionRecord source, ConnectionRecord destination, MergeStrategy strategy, string sourceQuery = Select) => new()
    {
        Name = "orders_sync",
        SourceConnectionId = source.Id,
        DestConnectionId = destination.Id,
        DestTable = Copy,
        SourceQuery = sourceQuery,
        MergeStrategy = strategy,
        Columns = Columns,
    };

    /// <summary>A watermark <c>{version}</c>: the highest version already in the destination, 0 when it is empty.</summary>
    public static Watermark VersionWatermark(ConnectionRecord destination) => new()
    {
        Name = "version", ConnectionId = destination.Id, ResolverSql = "SELECT max(version) FROM orders_copy", DefaultValue = "0",
    };
}
