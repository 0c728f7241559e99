using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Tests.Fixtures;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.Runs;

/// <summary>
/// The CLI's warm-up opens a module's server connections before the run is queued and the run takes them over: both
/// ends of a run, only the destination of a dry run, never a file engine, never a stale definition; an error opening
/// one is the run's error, thrown where the run takes the connection.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ConnectionWarmupFacts(PostgresFixture postgres)
{
    [PostgresFact]
    public async Task The_run_takes_over_the_warmed_connections_and_lands_its_rows()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest, admin) = await ServersAsync(h);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full));

        await using var warmup = ConnectionWarmup.Start(h.Get<ConnectionRepository>(), h.Get<ConnectionFactory>(), ModuleEndpoints.Of(module), dryRun: false, CancellationToken.None);
        var warmed = (Source: await OnlySessionAsync(h, admin, source), Dest: await OnlySessionAsync(h, admin, dest));
        var result = await h.Runner.RunAsync(module.Id, new RunOptions { Warmup = warmup }, CancellationToken.None);

        RunAssert.Ended(RunStatus.Success, result);
        Assert.Equal(Orders.FirstRows, await h.DumpAsync(dest, Orders.Copy, Orders.ColumnCount));
        // Still one session on each database, the warmed one: the run opened none of its own.
        Assert.Equal(warmed, (await OnlySessionAsync(h, admin, source), await OnlySessionAsync(h, admin, dest)));
        Assert.Null(await warmup.TakeAsync(source));
        Assert.Null(await warmup.TakeAsync(dest));
    }

    [PostgresFact]
    public async Task The_endpoints_read_by_name_warm_the_same_connections_before_the_module_is_loaded()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest, admin) = await ServersAsync(h);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full));
        var modules = h.Get<ModuleRepository>();

        Assert.Null(await modules.FindEndpointsAsync("no_such_module", CancellationToken.None));
        var endpoints = await modules.FindEndpointsAsync(module.Name, CancellationToken.None);
        Assert.Equal(ModuleEndpoints.Of(module), endpoints);

        await using var warmup = ConnectionWarmup.Start(h.Get<ConnectionRepository>(), h.Get<ConnectionFactory>(), endpoints!, dryRun: false, CancellationToken.None);
        var warmed = (Source: await OnlySessionAsync(h, admin, source), Dest: await OnlySessionAsync(h, admin, dest));
        var result = await h.Runner.RunAsync(module.Id, new RunOptions { Warmup = warmup }, CancellationToken.None);

        RunAssert.Ended(RunStatus.Success, result);
        Assert.Equal(warmed, (await OnlySessionAsync(h, admin, source), await OnlySessionAsync(h, admin, dest)));
    }

    [PostgresFact]
    public async Task A_dry_run_warms_only_the_destination_and_a_connection_is_handed_over_once_and_never_for_a_changed_definition()
    {
        await using var h = await SyncHarness.StartAsync();
        var (source, dest, admin) = await ServersAsync(h);
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full));

        await using (var dry = ConnectionWarmup.Start(h.Get<ConnectionRepository>(), h.Get<ConnectionFactory>(), ModuleEndpoints.Of(module), dryRun: true, CancellationToken.None))
        {
            Assert.Null(await dry.TakeAsync(source));
            await using var open = await dry.TakeAsync(dest);
            Assert.NotNull(open);
        }

        // Handed over for the definitions as the run reads them (the whole list), and only once.
        await using (var run = ConnectionWarmup.Start(h.Get<ConnectionRepository>(), h.Get<ConnectionFactory>(), ModuleEndpoints.Of(module), dryRun: false, CancellationToken.None))
        {
            var listed = (await h.Get<ConnectionRepository>().ListAsync(CancellationToken.None)).ToDictionary(c => c.Id);
            await using var taken = await run.TakeAsync(listed[source.Id]);
            Assert.NotNull(taken);
            Assert.Null(await run.TakeAsync(listed[source.Id]));
        }

        Npgsql.NpgsqlConnection.ClearAllPools();
        await WaitAsync(async () => (await PidsAsync(h, admin, dest)).Count == 0, "the earlier sessions did not end");
        await using var warmup = ConnectionWarmup.Start(h.Get<ConnectionRepository>(), h.Get<ConnectionFactory>(), ModuleEndpoints.Of(module), dryRun: false, CancellationToken.None);
        await OnlySessionAsync(h, admin, dest);   // opened from the definition as it was
        var changed = await h.Get<ConnectionRepository>().UpdateAsync(dest.Id, d => d with { Url = d.Url + "?application_name=edited" }, CancellationToken.None);
        Assert.Null(await warmup.TakeAsync(changed!));
    }

    [PostgresFact]
    public async Task A_file_destination_is_not_touched_and_an_unreachable_source_fails_the_run_with_its_own_error()
    {
        await using var h = await SyncHarness.StartAsync();
        var source = await h.AddConnectionAsync("src", postgres.Cluster.Uri("pipekit_no_such_database"));
        var dest = await h.AddDuckDbAsync("dst");
        var module = await h.SaveModuleAsync(Orders.Module(source, dest, MergeStrategy.Full));

        await using (var taken = ConnectionWarmup.Start(h.Get<ConnectionRepository>(), h.Get<ConnectionFactory>(), ModuleEndpoints.Of(module), dryRun: false, CancellationToken.None))
        {
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => taken.TakeAsync(source));
            Assert.Contains("\"pipekit_no_such_database\" does not exist", refused.Message, StringComparison.Ordinal);
        }

        await using var warmup = ConnectionWarmup.Start(h.Get<ConnectionRepository>(), h.Get<ConnectionFactory>(), ModuleEndpoints.Of(module), dryRun: false, CancellationToken.None);
        Assert.Null(await warmup.TakeAsync(dest));
        Assert.False(File.Exists(h.File("dst.duckdb")), "the warm-up created the DuckDB file");

        var run = await h.Runner.RunAsync(module.Id, new RunOptions { Warmup = warmup }, CancellationToken.None);
        RunAssert.Ended(RunStatus.Error, run);
        Assert.Contains("\"pipekit_no_such_database\" does not exist", run.Error, StringComparison.Ordinal);
    }

    private async Task<(ConnectionRecord Source, ConnectionRecord Dest, ConnectionRecord Admin)> ServersAsync(SyncHarness h)
    {
        var source = await h.AddPostgresAsync("src", postgres);
        var dest = await h.AddPostgresAsync("dst", postgres);
        var admin = await h.AddConnectionAsync("admin", postgres.Cluster.Uri("postgres"));
        await Orders.CreateAsync(h, source, dest);
        // Setting the table up went through the pool too: start from no open sessions on either database.
        Npgsql.NpgsqlConnection.ClearAllPools();
        await WaitAsync(async () => (await PidsAsync(h, admin, source)).Count + (await PidsAsync(h, admin, dest)).Count == 0, "the set-up's sessions did not end");
        return (source, dest, admin);
    }

    // The one session open on the connection's database (waiting for the warm-up to open it), seen from the admin database.
    private static async Task<int> OnlySessionAsync(SyncHarness h, ConnectionRecord admin, ConnectionRecord of)
    {
        IReadOnlyList<int> pids = [];
        await WaitAsync(async () => (pids = await PidsAsync(h, admin, of)).Count == 1, $"no single session on {of.Name}'s database");
        return pids[0];
    }

    private static async Task<IReadOnlyList<int>> PidsAsync(SyncHarness h, ConnectionRecord admin, ConnectionRecord of)
    {
        var database = of.Url[(of.Url.LastIndexOf('/') + 1)..];
        var rows = await h.QueryAsync(admin, $"SELECT pid FROM pg_stat_activity WHERE datname = '{database}' ORDER BY pid");
        return rows.Select(r => int.Parse(r, System.Globalization.CultureInfo.InvariantCulture)).ToList();
    }

    // A backend enters and leaves pg_stat_activity a moment after its client opened or closed it.
    private static async Task WaitAsync(Func<Task<bool>> done, string failure)
    {
        for (var waited = 0; !await done(); waited += 50)
        {
            Assert.True(waited < 10_000, failure);
            await Task.Delay(50);
        }
    }
}
