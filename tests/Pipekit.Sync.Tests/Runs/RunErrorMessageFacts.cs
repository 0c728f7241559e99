using Pipekit.Sync.Locks;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Sync.Watermarks;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>Errors of a run point at the user's objects (the destination table, the column, the lock holder) and say what to do.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RunErrorMessageFacts(PostgresFixture postgres)
{
    [Fact]
    public async Task A_source_column_missing_from_the_destination_names_the_destination_table_not_staging()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddSqliteAsync("dst");
        await h.ExecuteAsync(dest, "CREATE TABLE orders_copy (id integer, note text)");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "drift", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = "orders_copy",
            SourceQuery = "SELECT 1 AS id, 'x' AS note, 'y' AS extra", MergeStrategy = MergeStrategy.Full,
        });

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        Assert.Equal("the source query returns \"extra\" but orders_copy has no such column; add it to orders_copy, or drop or rename it in the query", result.Error);
        Assert.DoesNotContain("pipekit_staging", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_columns_and_no_destination_table_is_said_before_any_watermark_fails_on_the_missing_table()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddSqliteAsync("dst");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "bare", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = "nowhere",
            SourceQuery = "SELECT 1 AS id WHERE 1 > {since}", MergeStrategy = MergeStrategy.Append,
            Watermarks = [new Watermark { Name = "since", ConnectionId = dest.Id, ResolverSql = "SELECT max(id) FROM nowhere", DefaultValue = "0" }],
        });

        var result = await h.RunAsync(module);

        Assert.Equal("module 'bare' declares no columns and its destination table nowhere does not exist; declare the columns (the table is then created from them) or create the table", result.Error);
    }

    [PostgresFact]
    public async Task A_numeric_overflow_names_the_column_its_destination_type_and_the_value_shape()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddPostgresAsync("dst", postgres);
        var table = $"overflow_{Guid.NewGuid():N}"[..20];
        await h.ExecuteAsync(dest, $"CREATE TABLE {table} (id integer, amount numeric(4,2))");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "overflow", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = table,
            SourceQuery = "SELECT 1 AS id, 12345.67::numeric(12,2) AS amount", MergeStrategy = MergeStrategy.Full,
        });

        var result = await h.RunAsync(module);

        RunAssert.Ended(RunStatus.Error, result);
        Assert.Equal($"row 1: column amount of {table} is numeric(4,2), and the value has more than 2 digit(s) before the decimal point, which numeric(4,2) allows; widen the column (and its dest_type) or round the value in the query", result.Error);
    }

    [Fact]
    public async Task Already_running_names_the_holder_host_pid_since_and_what_to_do()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddSqliteAsync("dst");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "busy", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = "t",
            SourceQuery = "SELECT 1 AS id", MergeStrategy = MergeStrategy.Full, Columns = [new("id", null, "id", "integer")],
        });
        var holder = ProcessIdentity.Current();
        Assert.True(await h.Get<ModuleLocks>().TryAcquireAsync(module.Id, holder, CancellationToken.None));
        var since = (await h.ReloadAsync(module)).LockedAt!.Value;

        var result = await h.RunAsync(module);

        Assert.True(result.AlreadyRunning);
        Assert.Equal($"module 'busy' is already running (host {holder.Host}, pid {holder.Pid}, since {since.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z); wait for it to end or stop it with 'pipekit cancel busy'", result.Error);
    }

    [Fact]
    public async Task A_run_cancelled_during_the_merge_records_no_rows_landed()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddSqliteAsync("dst");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "stopped", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = "t",
            SourceQuery = "SELECT 1 AS id UNION ALL SELECT 2", MergeStrategy = MergeStrategy.Full, Columns = [new("id", null, "id", "integer")],
        });
        using var cancel = new CancellationTokenSource();
        var phases = new Phases(phase => { if (phase == RunPhase.Merging) cancel.Cancel(); });

        var result = await h.Runner.RunAsync(module.Id, new RunOptions { Phases = phases }, cancel.Token);

        RunAssert.Ended(RunStatus.Cancelled, result);
        Assert.Equal(0, result.RowCount);
        Assert.Equal(0, (await h.RunLogAsync(result)).RowCount);
        Assert.Empty(await h.QueryAsync(dest, "SELECT id FROM t"));
        Assert.Equal([RunPhase.ResolvingWatermarks, RunPhase.Transferring, RunPhase.Merging], phases.Seen);
    }

    [Fact]
    public async Task Preview_of_a_module_whose_destination_does_not_exist_says_it_will_be_created_and_which_default_each_watermark_takes()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddSqliteAsync("src");
        var dest = await h.AddSqliteAsync("dst");
        var module = await h.SaveModuleAsync(new Module
        {
            Name = "fresh", SourceConnectionId = source.Id, DestConnectionId = dest.Id, DestTable = "fresh",
            SourceQuery = "SELECT 1 AS id WHERE 1 > {after}", MergeStrategy = MergeStrategy.Append, Columns = [new("id", null, "id", "integer")],
            Watermarks = [new Watermark { Name = "after", ConnectionId = dest.Id, ResolverSql = "SELECT max(id) FROM fresh", DefaultValue = "-1" }],
        });

        var preview = await h.Get<ModulePreviewer>().PreviewAsync(module.Id, CancellationToken.None);

        Assert.False(preview.DestinationExists);
        Assert.Equal("SELECT 1 AS id WHERE 1 > -1", preview.ResolvedSourceSql);
        Assert.Equal(
        [
            "fresh does not exist yet: the run creates it from the 1 declared column(s) first",
            "watermark {after} would take its default -1 (its resolver reads the destination, which the run creates empty)",
        ], preview.Notes);
        Assert.False(await h.TableExistsAsync(dest, "fresh"));
    }

    private sealed class Phases(Action<RunPhase> onPhase) : IProgress<RunPhase>
    {
        public List<RunPhase> Seen { get; } = [];

        public void Report(RunPhase value)
        {
            Seen.Add(value);
            onPhase(value);
        }
    }
}
