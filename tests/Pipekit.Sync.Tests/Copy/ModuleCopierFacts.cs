using Pipekit.Core.Connections;
using Pipekit.Core.Errors;
using Pipekit.Sync.Copy;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Copy;

/// <summary>
/// <c>pipekit copy</c>: a table or query runs as a throwaway module through the run coordinator, full or incremental
/// by an update key whose watermark takes everything on the first run and only newer rows after.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ModuleCopierFacts(PostgresFixture postgres, MariaDbFixture mariadb) : IClassFixture<MariaDbFixture>
{
    private const string Table = "CREATE TABLE orders (id integer PRIMARY KEY, name varchar(40), amount numeric(10,2), version integer, updated_at timestamp)";

    private static readonly string[] Rows =
    [
        "INSERT INTO orders VALUES (1, 'apple', 1.10, 1, '2026-01-01 10:00:00.250')",
        "INSERT INTO orders VALUES (2, 'pear', 2.25, 1, '2026-01-01 10:00:01')",
        "INSERT INTO orders VALUES (3, 'fig''s', 3.00, 1, '2026-01-01 10:00:02')",
    ];

    private static readonly string[] Changes =
    [
        "UPDATE orders SET name = 'pear2', version = 2, updated_at = '2026-01-02 09:00:00.5' WHERE id = 2",
        "INSERT INTO orders VALUES (4, 'kiwi', 4.00, 2, '2026-01-02 09:00:01')",
    ];

    [PostgresFact]
    public async Task Postgres_to_postgres_copies_a_table_full_and_then_incrementally_by_a_timestamp()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("shop", postgres);
        var dest = await h.AddPostgresAsync("warehouse", postgres);
        await h.ExecuteAsync(dest, "CREATE SCHEMA analytics");
        await CopyFullThenIncrementalAsync(h, source, dest, "public.orders", "analytics.orders", "updated_at");
    }

    [Fact]
    public async Task Sqlite_to_duckdb_copies_a_table_full_and_then_incrementally_by_a_version()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("shop");
        var dest = await h.AddDuckDbAsync("warehouse");
        await CopyFullThenIncrementalAsync(h, source, dest, "orders", "orders", "version");
    }

    [MariaDbFact]
    public async Task Postgres_to_mariadb_copies_a_table_full_and_then_incrementally_by_a_timestamp()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("shop", postgres);
        var dest = await h.AddConnectionAsync("warehouse", await mariadb.NewDatabaseUriAsync());
        await CopyFullThenIncrementalAsync(h, source, dest, "orders", "orders", "updated_at");
    }

    [PostgresFact]
    public async Task A_query_copy_saved_under_a_name_stays_a_module_that_runs_again()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("shop", postgres);
        var dest = await h.AddSqliteAsync("warehouse");
        await h.ExecuteAsync(source, [Table, .. Rows]);

        var copy = await CopyAsync(h, new CopyRequest
        {
            From = "shop", Query = "SELECT id, upper(name) AS name FROM orders WHERE id < 3;", To = "warehouse", ToTable = "big_names",
            Mode = "append", UpdateKey = "id", SaveName = "big_names",
        });

        RunAssert.Succeeded(copy.Result, 2);
        Assert.True(copy.Saved);
        var module = await h.Modules.FindAsync("big_names", CancellationToken.None);
        Assert.NotNull(module);
        RunAssert.Succeeded(await h.RunAsync(module), 0);
        Assert.Equal(["1|APPLE", "2|PEAR"], await h.QueryAsync(dest, "SELECT id, name FROM big_names ORDER BY id"));
    }

    public static TheoryData<CopyRequest, string> Mistakes => new()
    {
        { new CopyRequest { From = "shop", To = "warehouse" }, "table: give the source: --table TABLE or --query SQL" },
        { new CopyRequest { From = "shop", Table = "orders", Query = "SELECT 1", To = "warehouse" }, "table: give --table or --query, not both" },
        { new CopyRequest { From = "shop", Query = "SELECT 1 AS x", To = "warehouse" },
            "to_table: --to-table is required with --query (there is no source table to name it after)" },
        { new CopyRequest { From = "shop", Table = "orders", To = "warehouse", Mode = "merge" }, "mode: 'merge' is not a mode; use full, incremental or append" },
        { new CopyRequest { From = "shop", Table = "orders", To = "warehouse", Mode = "incremental" },
            "key: --mode incremental needs --key: the column(s) that identify a row, replaced when they come again" },
        { new CopyRequest { From = "shop", Table = "orders", To = "warehouse", Mode = "append", Keys = ["id"] },
            "key: --key is used only by --mode incremental; --mode append does not match rows" },
        { new CopyRequest { From = "shop", Table = "orders", To = "warehouse", UpdateKey = "version" },
            "update_key: --mode full replaces the whole table on every run, so --update-key has nothing to skip; use --mode incremental or append" },
        { new CopyRequest { From = "shop", Table = "orders", To = "warehouse", Mode = "incremental", Keys = ["idd"] },
            "key: --key column 'idd' is not a column of the source; did you mean 'id'?; its columns are: id, name, amount, version, updated_at" },
        { new CopyRequest { From = "shop", Table = "nope", To = "warehouse" }, "table: table nope was not found on connection 'shop' (or it has no columns)" },
        { new CopyRequest { From = "shopp", Table = "orders", To = "warehouse" },
            "no connection named 'shopp' (--from); did you mean 'shop'?; 'pipekit connections list' shows them" },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_bad_copy_is_refused_with_its_reason_and_leaves_no_module(CopyRequest request, string message)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("shop");
        await h.AddDuckDbAsync("warehouse");
        await h.ExecuteAsync(source, Table);

        var ex = await Assert.ThrowsAnyAsync<PipekitException>(() => CopyAsync(h, request));

        Assert.Equal(message, ex.Message);
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
    }

    private static async Task CopyFullThenIncrementalAsync(SyncHarness h, ConnectionRecord source, ConnectionRecord dest, string table, string destTable,
        string updateKey)
    {
        await h.ExecuteAsync(source, [Table, .. Rows]);

        var full = await CopyAsync(h, new CopyRequest { From = source.Name, Table = table, To = dest.Name, ToTable = destTable + "_full" });
        RunAssert.Succeeded(full.Result, 3);
        Assert.Equal(["1|apple", "2|pear", "3|fig's"], await h.QueryAsync(dest, $"SELECT id, name FROM {destTable}_full ORDER BY id"));

        var incremental = new CopyRequest
        {
            From = source.Name, Table = table, To = dest.Name, ToTable = destTable, Mode = "incremental", Keys = ["id"], UpdateKey = updateKey,
        };
        var first = await CopyAsync(h, incremental);
        RunAssert.Succeeded(first.Result, 3);
        Assert.Contains("\"since\":\"NULL\"", first.Run!.WatermarkValuesJson, StringComparison.Ordinal);

        var again = await CopyAsync(h, incremental);
        RunAssert.Succeeded(again.Result, 0);

        await h.ExecuteAsync(source, Changes);
        var second = await CopyAsync(h, incremental);
        RunAssert.Succeeded(second.Result, 2);
        Assert.Equal(["1|apple", "2|pear2", "3|fig's", "4|kiwi"], await h.QueryAsync(dest, $"SELECT id, name FROM {destTable} ORDER BY id"));

        // The copies were modules only while they ran.
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
    }

    private static Task<CopyResult> CopyAsync(SyncHarness h, CopyRequest request) =>
        h.Get<ModuleCopier>().RunAsync(request, new RunStart { TriggeredBy = "cli" }, CancellationToken.None);
}
