using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Deletes;

/// <summary>
/// delete_detection on incremental modules over real engines: rows whose key left the source are deleted (hard) or
/// marked (soft), in the merge transaction, and an empty key set never empties the destination.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DeleteDetectionFacts(PostgresFixture postgres)
{
    public static TheoryData<Engine, Engine> Routes => new()
    {
        { Engine.Postgres, Engine.Postgres },
        { Engine.Sqlite, Engine.DuckDb },
        { Engine.DuckDb, Engine.Sqlite },
    };

    private const string Marked = "SELECT region, order_no, CASE WHEN _pipekit_deleted_at IS NULL THEN 0 ELSE 1 END FROM orders_copy ORDER BY 1, 2";

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Hard_deletes_the_rows_whose_key_left_the_source_and_keeps_the_delta(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with { DeleteDetection = DeleteDetection.Hard });
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(source,
            "DELETE FROM orders WHERE region = 'south' AND order_no = 1",
            "UPDATE orders SET qty = 25, version = 2 WHERE region = 'north' AND order_no = 2");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 1);
        Assert.Equal(["north|1|10|a|1", "north|2|25|b|2"], await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        var log = await h.RunLogAsync(second);
        Assert.Equal(1, log.DeletedRows);
        Assert.Contains("WHERE NOT EXISTS", log.MergeSql);
        Assert.Contains("delete detection: 1 rows deleted", log.TransferLog);
        Assert.False(await h.TableExistsAsync(dest, to == Engine.Sqlite ? "pipekit_staging__orders_sync__keys" : "pipekit_staging.orders_sync__keys"));
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task Soft_marks_rows_that_left_the_source_and_unmarks_them_when_they_come_back(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with { DeleteDetection = DeleteDetection.Soft });
        var first = await h.RunAsync(module);
        RunAssert.Succeeded(first, 3);
        Assert.Contains("_pipekit_deleted_at", (await h.RunLogAsync(first)).SchemaChanges);

        await h.ExecuteAsync(source, "DELETE FROM orders WHERE region = 'south' AND order_no = 1");
        var second = await h.RunAsync(module);

        RunAssert.Succeeded(second, 0);
        Assert.Equal(["north|1|0", "north|2|0", "south|1|1"], await h.QueryAsync(dest, Marked));
        var log = await h.RunLogAsync(second);
        Assert.Equal(1, log.DeletedRows);
        Assert.Null(log.SchemaChanges);

        // Back with its old version: not in the delta, but its key is in the source again.
        await h.ExecuteAsync(source, "INSERT INTO orders VALUES ('south', 1, 30, 'c', 1)");
        RunAssert.Succeeded(await h.RunAsync(module), 0);
        Assert.Equal(["north|1|0", "north|2|0", "south|1|0"], await h.QueryAsync(dest, Marked));
    }

    [PostgresTheory]
    [MemberData(nameof(Routes))]
    public async Task An_empty_key_set_fails_the_run_and_leaves_the_destination_unless_an_empty_source_is_allowed(Engine from, Engine to)
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddAsync(from, "src", postgres);
        var dest = await h.AddAsync(to, "dst", postgres);
        await Orders.CreateAsync(h, source, dest);
        var module = await h.SaveModuleAsync(CorrectnessModules.Incremental(source, dest) with { DeleteDetection = DeleteDetection.Hard });
        RunAssert.Succeeded(await h.RunAsync(module), 3);

        await h.ExecuteAsync(source, "DELETE FROM orders");
        var refused = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, refused);
        Assert.StartsWith("the keys query returned nothing; refusing to delete 3 rows", refused.Error);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));

        module = await h.SaveModuleAsync(await h.ReloadAsync(module) with { AllowEmptySource = true });
        RunAssert.Succeeded(await h.RunAsync(module), 0);
        Assert.Empty(await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }

    [PostgresFact]
    public async Task An_explicit_keys_query_gives_the_key_set_when_the_source_query_cannot()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddSqliteAsync("dst");
        await Orders.CreateAsync(h, source, dest);
        var module = CorrectnessModules.Incremental(source, dest) with
        {
            SourceQuery = Orders.Select + " WHERE version > {version} LIMIT 1000",
            DeleteDetection = DeleteDetection.Hard,
        };
        var refused = Assert.Throws<Pipekit.Core.Validation.ValidationException>(() => ModuleValidator.Validate(module, new HashSet<long> { source.Id, dest.Id }));
        Assert.Contains("set keys_query", refused.Message);

        module = await h.SaveModuleAsync(module with { KeysQuery = "SELECT region, order_no FROM orders" });
        RunAssert.Succeeded(await h.RunAsync(module), 3);
        await h.ExecuteAsync(source, "DELETE FROM orders WHERE region = 'north'");
        RunAssert.Succeeded(await h.RunAsync(module), 0);

        Assert.Equal(["south|1|30|c|1"], await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
    }

    [Fact]
    public void Delete_detection_is_refused_on_a_full_module()
    {
        var module = Orders.Module(new() { Id = 1, Name = "a", Driver = "sqlite", Url = "sqlite:///a" }, new() { Id = 1, Name = "a", Driver = "sqlite", Url = "sqlite:///a" },
            MergeStrategy.Full) with { MergeKey = "region, order_no", DeleteDetection = DeleteDetection.Soft };

        var ex = Assert.Throws<Pipekit.Core.Validation.ValidationException>(() => ModuleValidator.Validate(module, new HashSet<long> { 1 }));

        Assert.Contains("'soft' needs an incremental module", ex.Message);
    }
}
