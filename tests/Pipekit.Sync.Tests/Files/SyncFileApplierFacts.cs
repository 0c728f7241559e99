using Pipekit.Core.Connections;
using Pipekit.Core.Validation;
using Pipekit.Sync.Files;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Files;

/// <summary>
/// <c>pipekit modules apply</c>: a file is validated whole before anything is written, changes are reported per
/// module and group, and what <c>export</c> writes applies back as unchanged.
/// </summary>
public abstract class SyncFileApplierFacts(TestStateStore store)
{
    private const string GoodModules = """
        [[modules]]
        name = "orders"
        source = "src"
        destination = "dst"
        dest_table = "orders_copy"
        strategy = "incremental"
        merge_key = "region, order_no"
        source_query = '''
        SELECT region, order_no, qty
        FROM orders
        WHERE version > {version}'''

        [[modules.columns]]
        source_name = "region"
        dest_type = "text"

        [[modules.columns]]
        source_name = "order_no"
        source_type = "integer"
        dest_name = "order_no"
        dest_type = "integer"

        [[modules.columns]]
        source_name = "qty"
        dest_type = "integer"

        [[modules.watermarks]]
        name = "version"
        connection = "dst"
        resolver_sql = "SELECT max(version) FROM orders_copy"
        default = "0"

        [[modules.hooks]]
        connection = "dst"
        sql = "ANALYZE orders_copy"
        run_on = "always"

        [[modules]]
        name = "customers"
        source = "src"
        destination = "dst"
        dest_table = "customers_copy"
        strategy = "full"
        full_load = "direct"
        enabled = false
        notes = "paused while \"crm\" migrates\tagain"
        source_query = "SELECT id, name FROM customers"

        """;

    private const string GoodGroups = """
        [[groups]]
        name = "nightly"
        stop_on_failure = true
        modules = ["orders", "customers"]
        """;

    private const string GoodFile = GoodModules + GoodGroups;

    public static TheoryData<string, string, string> BadModules => new()
    {
        { "source = \"nope\"", "bad.source", "connection 'nope' does not exist (in modules.toml); declare it in [[connections]] or add it with 'pipekit connections add nope'" },
        { "source = \"src\"\nsource_query = \"SELECT 1 AS x WHERE 2 > {ghost}\"", "bad.source_query",
            "placeholder {ghost} has no watermark; add a watermark named 'ghost' or remove it from the query" },
        { "source = \"src\"\nfull_load = \"fast\"", "bad.full_load", "'fast' must be staging, direct or swap" },
    };

    [Theory]
    [MemberData(nameof(BadModules))]
    public async Task A_file_with_one_bad_module_among_good_ones_writes_nothing(string badLines, string field, string message)
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        await AddConnectionsAsync(h);
        var bad = $"""
            [[modules]]
            name = "bad"
            destination = "dst"
            dest_table = "bad_copy"
            strategy = "full"
            {badLines}
            """;
        if (!badLines.Contains("source_query", StringComparison.Ordinal)) bad += "\nsource_query = \"SELECT 1 AS x\"";

        var ex = await Assert.ThrowsAsync<ValidationException>(() => ApplyAsync(h, GoodModules + bad + "\n\n" + GoodGroups));

        Assert.Equal([field], ex.Errors.Keys);
        Assert.Equal([message], ex.Errors[field]);
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
        Assert.Empty(await h.Get<GroupRepository>().ListAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("name = \"nightly\"\nmodules = [\"orders\", \"orders\"]", "nightly.modules", "lists module 'orders' 2 times")]
    [InlineData("name = \"night\\nly\"\nmodules = [\"orders\"]", "night\nly.name", "must be 1-100 letters")]
    [InlineData("name = \"../x\"\nmodules = [\"orders\"]", "../x.name", "must be 1-100 letters")]
    public async Task A_file_with_a_bad_group_writes_nothing(string groupLines, string field, string message)
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        await AddConnectionsAsync(h);

        var ex = await Assert.ThrowsAsync<ValidationException>(() => ApplyAsync(h, GoodModules + "[[groups]]\n" + groupLines + "\n"));

        Assert.Contains(message, Assert.Single(ex.Errors[field]), StringComparison.Ordinal);
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
        Assert.Empty(await h.Get<GroupRepository>().ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task A_column_type_with_sql_in_it_writes_nothing()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        await AddConnectionsAsync(h);

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            ApplyAsync(h, GoodModules.Replace("dest_type = \"text\"", "dest_type = \"BIGINT); CREATE TABLE x (z int\"", StringComparison.Ordinal)));

        Assert.Contains("in DuckDB", Assert.Single(ex.Errors["orders.columns"]), StringComparison.Ordinal);
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Applying_reports_created_then_unchanged_then_updated_for_what_changed()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        await AddConnectionsAsync(h);

        var created = await ApplyAsync(h, GoodFile);
        var unchanged = await ApplyAsync(h, GoodFile);
        var updated = await ApplyAsync(h, GoodFile
            .Replace("SELECT id, name FROM customers", "SELECT id, name, email FROM customers", StringComparison.Ordinal)
            .Replace("""modules = ["orders", "customers"]""", """modules = ["customers", "orders"]""", StringComparison.Ordinal));

        Assert.Equal([Change("module", "orders", ApplyAction.Created), Change("module", "customers", ApplyAction.Created), Change("group", "nightly", ApplyAction.Created)], created);
        Assert.Equal([Change("module", "orders", ApplyAction.Unchanged), Change("module", "customers", ApplyAction.Unchanged), Change("group", "nightly", ApplyAction.Unchanged)], unchanged);
        Assert.Equal([Change("module", "orders", ApplyAction.Unchanged), Change("module", "customers", ApplyAction.Updated) with { ChangedFields = ["source_query"] },
            Change("group", "nightly", ApplyAction.Updated) with { ChangedFields = ["modules"] }], updated);
        var customers = await h.Modules.FindAsync("customers", CancellationToken.None);
        Assert.Equal("SELECT id, name, email FROM customers", customers!.SourceQuery);
        Assert.Equal(["customers", "orders"], (await h.Get<GroupRepository>().FindAsync("nightly", CancellationToken.None))!.Members.Select(m => m.ModuleName));
    }

    [Fact]
    public async Task What_export_writes_applies_back_unchanged_and_recreates_the_same_modules_elsewhere()
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        await AddConnectionsAsync(h);
        await ApplyAsync(h, GoodFile);

        var exported = await ExportAsync(h);
        var again = await ApplyAsync(h, exported);

        Assert.All(again, c => Assert.Equal(ApplyAction.Unchanged, c.Action));
        Assert.Equal(3, again.Count);
        await using var elsewhere = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        await AddConnectionsAsync(elsewhere);
        Assert.All(await ApplyAsync(elsewhere, exported), c => Assert.Equal(ApplyAction.Created, c.Action));
        Assert.Equal(exported, await ExportAsync(elsewhere));
        var orders = await elsewhere.Modules.FindAsync("orders", CancellationToken.None);
        Assert.Equal("SELECT region, order_no, qty\nFROM orders\nWHERE version > {version}", orders!.SourceQuery);
        Assert.Equal("paused while \"crm\" migrates\tagain", (await elsewhere.Modules.FindAsync("customers", CancellationToken.None))!.Notes);
        Assert.Equal(Pipekit.Sync.Modules.FullLoad.Direct, (await elsewhere.Modules.FindAsync("customers", CancellationToken.None))!.FullLoad);
    }

    private static async Task AddConnectionsAsync(SyncHarness h)
    {
        await h.AddSqliteAsync("src");
        await h.AddDuckDbAsync("dst");
    }

    private static Task<IReadOnlyList<ApplyChange>> ApplyAsync(SyncHarness h, string toml) =>
        h.Get<SyncFileApplier>().ApplyAsync([SyncFileParser.Parse(toml, "modules.toml")], modules: true, groups: true, CancellationToken.None);

    private static async Task<string> ExportAsync(SyncHarness h)
    {
        var connections = (await h.Get<ConnectionRepository>().ListAsync(CancellationToken.None)).ToDictionary(c => c.Id);
        return SyncFileWriter.Write(await h.Modules.ListAsync(CancellationToken.None), await h.Get<GroupRepository>().ListAsync(CancellationToken.None), connections);
    }

    private static ApplyChange Change(string kind, string name, ApplyAction action) => new(kind, name, action);

    public sealed class OnSqlite() : SyncFileApplierFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : SyncFileApplierFacts(TestStateStore.Postgres(postgres));
}
