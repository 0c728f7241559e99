using Dapper;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Pipekit.Core;
using Pipekit.Core.Configuration;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Testing;
using Xunit;

namespace Pipekit.Sync.Tests.State;

/// <summary>
/// <c>Fixtures/legacy-v6.db</c> was made by the pipekit before parts owned their schemas (one list of versions 1-6):
/// two connections, two modules (a watermark and a hook on one), a group of both with a schedule, four runs, a group
/// run and a password. Opening it with this binary adopts it in place and keeps every row.
/// </summary>
public sealed class LegacyUpgradeFacts
{
    private static readonly string[] Tables =
        ["settings", "connection", "module", "watermark", "hook", "grp", "group_member", "group_run", "run_log", "schedule", "change_version"];

    [Fact]
    public async Task A_store_made_by_the_previous_schema_opens_migrates_and_keeps_every_row()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "State", "Fixtures", "legacy-v6.db"), path);
        var before = await CountAsync(path);
        await using var services = await ServicesAsync(dir, path);
        var store = services.GetRequiredService<StateStore>();

        var status = await store.GetStatusAsync(CancellationToken.None);
        Assert.True(status.Legacy);
        Assert.False(status.IsCurrent);

        await store.InitializeAsync(CancellationToken.None);

        // Every row is kept; the only new one is Sync migration 0007's 'run' change version.
        before["change_version"]++;
        Assert.Equal(before, await CountAsync(path));
        Assert.True((await store.GetStatusAsync(CancellationToken.None)).IsCurrent);
        var modules = await services.GetRequiredService<ModuleRepository>().ListAsync(CancellationToken.None);
        Assert.Equal(["broken", "items"], modules.Select(m => m.Name).Order());
        var items = modules.Single(m => m.Name == "items");
        Assert.Equal("since", Assert.Single(items.Watermarks).Name);
        Assert.Single(items.Hooks);
        var schedule = Assert.Single(await services.GetRequiredService<ScheduleRepository>().ListAsync(null, null, null, CancellationToken.None));
        var nightly = await services.GetRequiredService<GroupRepository>().FindAsync("nightly", CancellationToken.None);
        Assert.Equal(("group", nightly!.Id, "0 20 2 * * *", "Europe/London"), (schedule.TargetKind, schedule.TargetId, schedule.CronExpr, schedule.Timezone));
        var runs = await services.GetRequiredService<RunLogRepository>().ListAsync(new RunFilter(), CancellationToken.None);
        Assert.Equal(4, runs.Count);
        // Sync migration 0002 gave each run its module's name and kept every id.
        Assert.All(runs, r => Assert.Equal(modules.Single(m => m.Id == r.ModuleId).Name, r.ModuleName));

        // Adopted means current: a second open applies nothing, and new rows go in as before.
        Assert.Empty(await store.InitializeAsync(CancellationToken.None));
        await using var c = await store.OpenAsync(CancellationToken.None);
        Assert.Equal(2L, await c.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_version WHERE version = 1 AND part IN ('core', 'sync')"));
    }

    [Fact]
    public async Task A_legacy_store_whose_migration_was_edited_is_refused_and_left_as_it_was()
    {
        using var dir = new TempDirectory();
        var path = dir.File("pipekit.db");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "State", "Fixtures", "legacy-v6.db"), path);
        await using (var raw = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await raw.OpenAsync();
            await raw.ExecuteAsync("UPDATE schema_version SET checksum = 'x' WHERE version = 3");
        }
        await using var services = await ServicesAsync(dir, path);

        var ex = await Assert.ThrowsAsync<StateException>(() => services.GetRequiredService<StateStore>().InitializeAsync(CancellationToken.None));

        Assert.Contains("legacy migration legacy/0003_sync.sql was changed", ex.Message);
        await using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        await check.OpenAsync();
        Assert.Equal(6L, await check.ExecuteScalarAsync<long>("SELECT count(*) FROM schema_version"));
    }

    private static async Task<ServiceProvider> ServicesAsync(TempDirectory dir, string statePath)
    {
        var environment = new PipekitEnvironment(new PipekitHome(dir.Path), new PipekitConfig { State = new StateOptions { Path = statePath } }, dir.File("secrets.toml"));
        var secrets = await SecretStore.LoadOrEmptyAsync(environment.SecretsPath, CancellationToken.None);
        return new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitSync().BuildServiceProvider();
    }

    private static async Task<Dictionary<string, long>> CountAsync(string path)
    {
        await using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        await c.OpenAsync();
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables) counts[table] = await c.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
        return counts;
    }
}
