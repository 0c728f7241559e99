using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Pipekit.Chains;
using Pipekit.Core;
using Pipekit.Core.Auth;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Drivers;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Sync;
using Pipekit.Sync.Files;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Demo;

/// <summary>
/// The steps of <c>pipekit demo</c>, in a data directory of its own that is reset on every run so the
/// output is the same each time: init, a secret, a SQLite shop and a DuckDB warehouse, three modules in a
/// group run twice with source changes in between, the run log, doctor.
/// </summary>
internal sealed class DemoTour
{
    private readonly TextWriter _out;
    private readonly PipekitHome _home;

    public DemoTour(TextWriter output, PipekitHome home)
    {
        _out = output;
        _home = home;
    }

    public string ShopPath => Path.Combine(_home.Root, "shop.db");

    public string WarehousePath => Path.Combine(_home.Root, "warehouse.duckdb");

    public string ModulesPath => Path.Combine(_home.Root, "modules.toml");

    public PipekitEnvironment Environment => new(_home, new PipekitConfig(), _home.DefaultSecretsPath);

    public Task<SecretStore> LoadSecretsAsync(CancellationToken ct) => SecretStore.LoadAsync(_home.DefaultSecretsPath, ct);

    /// <summary>The web/API user of the demo installation.</summary>
    public async Task SetWebPasswordAsync(string user, string password, CancellationToken ct)
    {
        await using var services = new ServiceCollection().AddPipekitCore(Environment, await LoadSecretsAsync(ct)).BuildServiceProvider();
        await services.GetRequiredService<Credentials>().SetAsync(user, password, ct);
    }

    public async Task<bool> RunAsync(CancellationToken ct)
    {
        Reset();
        var environment = Environment;
        await Say($"== Pipekit demo in {_home.Root}");

        await Step("1. init: create the state database");
        var warehousePassword = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        await SecretsFile.SetAsync(environment.SecretsPath, null, "WAREHOUSE_PW", warehousePassword, ct);
        var secrets = await SecretStore.LoadAsync(environment.SecretsPath, ct);
        await using var services = new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitSync().AddPipekitChains().BuildServiceProvider();
        var store = services.GetRequiredService<StateStore>();
        var applied = await store.InitializeAsync(ct);
        await Say($"   {store.Location}: {(await store.GetStatusAsync(ct)).Versions} ({applied.Count} migrations applied)");

        await Step("2. secrets: passwords live in the secrets file, referenced as $NAME");
        await Say($"   {environment.SecretsPath} (mode 0600) holds WAREHOUSE_PW; values are never printed:");
        await Say($"   \"{services.GetRequiredService<Redactor>().Redact($"login failed for password {warehousePassword}")}\"");

        await Step($"3. a source and a destination: a SQLite shop ({ShopDatabase.Customers:N0} customers, {ShopDatabase.Orders:N0} orders) and a DuckDB warehouse");
        await ShopDatabase.CreateAsync(ShopPath, ct);
        var connections = services.GetRequiredService<ConnectionRepository>();
        var validator = services.GetRequiredService<ConnectionValidator>();
        await connections.AddAsync(validator.Validate(new ConnectionRecord { Name = "shop", Driver = "", Url = $"sqlite://{ShopPath}", Notes = "demo source" }), ct);
        await connections.AddAsync(validator.Validate(new ConnectionRecord
        {
            Name = "warehouse", Driver = "", Url = $"duckdb://{WarehousePath}", Password = "$WAREHOUSE_PW", Notes = "demo destination",
        }), ct);
        var checker = services.GetRequiredService<ConnectionChecker>();
        foreach (var c in await connections.ListAsync(ct))
        {
            var test = await checker.TestAsync(c, ct);
            await Say($"   connection {c.Name,-10} {c.Url,-48} {(test.Ok ? $"ok, {test.ServerVersion}" : $"FAILED: {test.Error}")}");
        }

        await Step("4. modules as code: customers (full), orders (incremental, two watermarks), order_events (append), group nightly");
        await File.WriteAllTextAsync(ModulesPath, DemoModules.Toml, ct);
        var changes = await services.GetRequiredService<SyncFileApplier>().ApplyAsync([await SyncFileParser.ReadAsync(ModulesPath, ct)], true, true, ct);
        foreach (var change in changes)
            await Say($"   {change.Action.ToString().ToLowerInvariant()} {change.Kind} {change.Name}");
        await Say($"   (the file is {ModulesPath}; 'pipekit modules apply -f' it after editing)");

        var nightly = (await services.GetRequiredService<GroupRepository>().FindAsync("nightly", ct))!;
        var schedule = await services.GetRequiredService<ScheduleEditor>().CreateAsync(
            new Schedule { TargetKind = "group", TargetId = nightly.Id, CronExpr = "0 20 2 * * *", Timezone = "Europe/London" }, ct);
        await Say($"   scheduled group nightly at '0 20 2 * * *' (02:20:00 Europe/London); next fire {schedule.NextFireAt:u} — 'pipekit serve' runs the scheduler");

        var ok = true;
        await Step("5. run the group: everything is new, so every row moves");
        ok &= await RunGroupAsync(services, ct);

        await Step("6. the shop changes, and the group runs again: only the changes move");
        await Say($"   {await ShopDatabase.ChangeAsync(ShopPath, ct)}");
        ok &= await RunGroupAsync(services, ct);
        var orders = (await services.GetRequiredService<ModuleRepository>().FindAsync("orders", ct))!;
        var lastOrders = (await services.GetRequiredService<RunLogRepository>().ListAsync(new RunFilter { ModuleId = orders.Id, Limit = 1 }, ct))[0];
        await Say($"   orders watermarks this time: {lastOrders.WatermarkValuesJson}");
        await Say("   resolved source query:");
        foreach (var line in (lastOrders.ResolvedSourceSql ?? "").Split('\n'))
            await Say($"     {line}");

        await Step("7. the warehouse now");
        await using (var warehouse = await services.GetRequiredService<ConnectionFactory>()
                         .OpenAsync((await connections.FindAsync("warehouse", ct))!, null, ct))
        {
            foreach (var table in new[] { "customers", "orders", "order_events", "daily_revenue" })
            {
                await using var command = warehouse.Command($"SELECT count(*) FROM analytics.{table}");
                await Say($"   analytics.{table,-14} {Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture),9:N0} rows");
            }
        }

        await Step("8. chains: replay a SQL project on cached snapshots (DuckDB layer files here; PostgreSQL templates with [chains].postgres)");
        await DemoChains.RunAsync(services, Say, Path.Combine(_home.Root, "chain"), ct);

        await Step("9. doctor");
        foreach (var r in await services.GetRequiredService<Doctor>().RunAsync(ct))
        {
            ok &= r.Status != DoctorStatus.Fail;
            await Say($"   {r.Status.ToString().ToLowerInvariant(),-5} {r.Check,-20} {r.Message}");
        }

        await Say("");
        await Say("Look around (same data directory):");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit modules list");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit runs list");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit runs show {lastOrders.Id}");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit run orders --dry-run");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit chain plan {Path.Combine(_home.Root, "chain")} --head test/01_expensive.sql --engine duckdb");
        await Say("Not built yet: the web UI pages, pipelines (DAGs of .sql/.py/.sh tasks), query (SQL over Parquet).");
        return ok;
    }

    private async Task<bool> RunGroupAsync(IServiceProvider services, CancellationToken ct)
    {
        var group = (await services.GetRequiredService<GroupRepository>().FindAsync("nightly", ct))!;
        var runner = services.GetRequiredService<GroupRunner>();
        var groupRunId = await runner.StartAsync(group.Id, "manual", ct);
        var runs = services.GetRequiredService<RunLogRepository>();
        var result = await runner.RunAsync(group.Id, groupRunId, new RunOptions { TriggeredBy = "manual" }, null, ct);
        foreach (var member in result.Members)
        {
            var entry = member.RunId is { } id ? await runs.GetAsync(id, ct) : null;
            await Say(string.Create(CultureInfo.InvariantCulture,
                $"   {entry?.ModuleName,-14} {member.Status.ToText(),-8} {member.RowCount,9:N0} rows  {(entry?.DurationMs ?? 0) / 1000.0,6:0.00} s  run {member.RunId}{(member.Error is null ? "" : $"  {member.Error}")}"));
        }
        await Say($"   group nightly: {result.Status.ToText()} (group run {groupRunId})");
        return result.Status == RunStatus.Success;
    }

    private void Reset()
    {
        Directory.CreateDirectory(_home.Root);
        foreach (var file in new[] { _home.DefaultStatePath, _home.DefaultStatePath + "-wal", _home.DefaultStatePath + "-shm", ShopPath, WarehousePath, WarehousePath + ".wal", _home.DefaultSecretsPath })
            if (File.Exists(file)) File.Delete(file);
    }

    private Task Step(string title) => _out.WriteLineAsync($"\n-- {title}");

    private Task Say(string line) => _out.WriteLineAsync(line);
}
