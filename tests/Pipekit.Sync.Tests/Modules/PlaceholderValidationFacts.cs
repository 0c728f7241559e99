using Pipekit.Core.Validation;
using Pipekit.Sync.Files;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Modules;

/// <summary>
/// The two placeholder mistakes — a <c>{name}</c> with no watermark, a watermark the query never uses — are refused
/// when a module is saved or applied, and again before a run, where a module edited behind Pipekit's back must fail
/// with the same clear message instead of running broken SQL.
/// </summary>
public abstract class PlaceholderValidationFacts(TestStateStore store)
{
    private const string NoWatermark = "placeholder {ghost} has no watermark; add a watermark named 'ghost' or remove it from the query";
    private const string NeverUsed = "watermark 'w' is never used: the source query has no {w} placeholder";

    public static TheoryData<string, string> Mistakes => new()
    {
        { "SELECT v FROM t WHERE v > {w} AND v < {ghost}", NoWatermark },
        { "SELECT v FROM t", NeverUsed },
    };

    [Theory]
    [MemberData(nameof(Mistakes))]
    public void The_validator_refuses_the_mistake_and_names_the_placeholder(string sourceQuery, string message)
    {
        var module = Probe(1, 2) with { SourceQuery = sourceQuery };

        var ex = Assert.Throws<ValidationException>(() => ModuleValidator.Validate(module, new HashSet<long> { 1, 2 }));

        Assert.Equal([message], ex.Errors["source_query"]);
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task Applying_a_file_refuses_the_mistake_and_writes_nothing(string sourceQuery, string message)
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        await h.AddSqliteAsync("db");
        var file = SyncFileParser.Parse($"""
            [[modules]]
            name = "probe"
            source = "db"
            destination = "db"
            dest_table = "t_copy"
            strategy = "append"
            source_query = "{sourceQuery}"

            [[modules.watermarks]]
            name = "w"
            connection = "db"
            resolver_sql = "SELECT max(v) FROM t_copy"
            """, "modules.toml");

        var ex = await Assert.ThrowsAsync<ValidationException>(() =>
            h.Get<SyncFileApplier>().ApplyAsync([file], modules: true, groups: true, CancellationToken.None));

        Assert.Equal([message], ex.Errors["probe.source_query"]);
        Assert.Empty(await h.Modules.ListAsync(CancellationToken.None));
    }

    [Theory]
    [MemberData(nameof(Mistakes))]
    public async Task A_run_of_a_module_edited_behind_the_validators_back_fails_naming_the_placeholder(string sourceQuery, string message)
    {
        await using var h = await SyncHarness.StartAsync(new SyncHarnessOptions { Store = store });
        var db = await h.AddSqliteAsync("db");
        await h.ExecuteAsync(db, "CREATE TABLE t (v integer)", "INSERT INTO t VALUES (1), (2)", "CREATE TABLE t_copy (v integer)");
        var module = await h.SaveModuleAsync(Probe(db.Id, db.Id));
        await h.ExecuteStateAsync("UPDATE module SET source_query = @q WHERE id = @id", ("@q", sourceQuery), ("@id", module.Id));

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        var entry = await h.RunLogAsync(result);
        Assert.Equal($"source_query: {message}", entry.Error);
        Assert.Null(entry.ResolvedSourceSql);
        Assert.Empty(await h.QueryAsync(db, "SELECT v FROM t_copy"));
        Assert.False((await h.ReloadAsync(module)).Running);
    }

    private static Module Probe(long source, long dest) => new()
    {
        Name = "probe",
        SourceConnectionId = source,
        DestConnectionId = dest,
        DestTable = "t_copy",
        SourceQuery = "SELECT v FROM t WHERE v > {w}",
        MergeStrategy = MergeStrategy.Append,
        Columns = [new("v", "integer", "v", "integer")],
        Watermarks = [new() { Name = "w", ConnectionId = dest, ResolverSql = "SELECT max(v) FROM t_copy", DefaultValue = "0" }],
    };

    public sealed class OnSqlite() : PlaceholderValidationFacts(TestStateStore.Sqlite);

    [Collection(PostgresCollection.Name)]
    public sealed class OnPostgres(PostgresFixture postgres) : PlaceholderValidationFacts(TestStateStore.Postgres(postgres));
}
