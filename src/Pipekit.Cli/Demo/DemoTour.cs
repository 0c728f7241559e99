using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Pipekit.Chains;
using Pipekit.Cli.Hosting;
using Pipekit.Core;
using Pipekit.Core.Auth;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Diagnostics;
using Pipekit.Core.Drivers;
using Pipekit.Core.Scheduling;
using Pipekit.Core.Secrets;
using Pipekit.Core.State;
using Pipekit.Pipelines;
using Pipekit.Pipelines.Execution;
using Pipekit.Pipelines.Runs;
using Pipekit.Query;
using Pipekit.Query.Catalog;
using Pipekit.Query.Engine;
using Pipekit.Query.Results;
using Pipekit.Sync;
using Pipekit.Sync.Files;
using Pipekit.Sync.Groups;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;

namespace Pipekit.Cli.Demo;

/// <summary>
/// The steps of <c>pipekit demo</c>, in a data directory of its own that is reset on every run so the
/// output is the same each time: init, a secret, a SQLite shop and a DuckDB warehouse declared with three modules
/// and a scheduled group in one project file, the group run twice with source changes (and deletes) in between,
/// verify and copy, a pipeline, a Parquet dataset queried with SQL, a chain, doctor.
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

    public string ProjectPath => Path.Combine(_home.Root, "project.toml");

    /// <summary>The demo's own installation; <c>PIPEKIT_STATE_URL</c> puts its state in that PostgreSQL database instead.</summary>
    public PipekitEnvironment Environment => PipekitEnvironment.Create(_home, new PipekitConfig(), _home.DefaultSecretsPath);

    /// <summary>Where the demo's Parquet files go (the "lake" the query engine reads).</summary>
    public string LakePath => Path.Combine(_home.Root, "lake");

    /// <summary>The SQL the demo runs over its dataset, and prints as a POST /sql example.</summary>
    public const string DemoQuery = "SELECT status, count(*) AS orders, round(sum(amount), 2) AS amount FROM lake_orders GROUP BY status ORDER BY status";

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
        await using var services = new ServiceCollection().AddPipekitCore(environment, secrets).AddPipekitSync().AddPipekitPipelines().AddPipekitQuery().AddPipekitChains()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)).BuildServiceProvider();
        var store = services.GetRequiredService<StateStore>();
        // The SQLite file was reset above; a PostgreSQL database is the user's, so the demo never drops anything in it.
        if (store.Kind == StoreKind.Postgres && (await store.GetStatusAsync(ct)).Applied.Values.Any(v => v > 0))
            throw new StateException($"the demo needs an empty PostgreSQL database, and {store.Location} already holds Pipekit's tables; create a fresh one (createdb) and point PIPEKIT_STATE_URL at it");
        var applied = await store.InitializeAsync(ct);
        await Say($"   {store.Location}: {(await store.GetStatusAsync(ct)).Versions} ({applied.Count} migrations applied)");

        await Step("2. secrets: passwords live in the secrets file, referenced as $NAME");
        await Say($"   {environment.SecretsPath} (mode 0600) holds WAREHOUSE_PW; values are never printed:");
        await Say($"   \"{services.GetRequiredService<Redactor>().Redact($"login failed for password {warehousePassword}")}\"");

        await Step($"3. a source and destinations: a SQLite shop ({ShopDatabase.Customers:N0} customers, {ShopDatabase.Orders:N0} orders), a DuckDB warehouse and a Parquet lake");
        await ShopDatabase.CreateAsync(ShopPath, ct);
        await Say($"   {ShopPath}, {WarehousePath} and {LakePath}");

        await Step("4. everything as code: one project file declares the connections, customers (full), orders (incremental, two watermarks, deletes, verified), order_events (append), lake_orders (into Parquet) and group nightly with its schedule");
        Directory.CreateDirectory(LakePath);
        await File.WriteAllTextAsync(ProjectPath, DemoProject.Toml(ShopPath, WarehousePath, LakePath), ct);
        var applier = services.GetRequiredService<SyncFileApplier>();
        IReadOnlyList<SyncFile> project = [await SyncFileParser.ReadAsync(ProjectPath, ct)];
        await Say($"   pipekit apply -f {ProjectPath} --dry-run");
        foreach (var change in await applier.ApplyAsync(project, new ApplyOptions { DryRun = true }, ct))
            await Say($"     {(change.Action == ApplyAction.Created ? "+" : "~")} {change.Kind} {change.Name}");
        var changes = await applier.ApplyAsync(project, new ApplyOptions(), ct);
        await Say($"   pipekit apply -f {ProjectPath}: {changes.Count(c => c.Action == ApplyAction.Created)} created, in one transaction");
        await Say("   applied again, nothing changes: " + string.Join(", ", (await applier.ApplyAsync(project, new ApplyOptions { DryRun = true }, ct))
            .GroupBy(c => c.Action).Select(g => $"{g.Count()} {g.Key.ToString().ToLowerInvariant()}")));
        var connections = services.GetRequiredService<ConnectionRepository>();
        var checker = services.GetRequiredService<ConnectionChecker>();
        foreach (var c in await connections.ListAsync(ct))
        {
            var test = await checker.TestAsync(c, ct);
            await Say($"   connection {c.Name,-10} {c.Url,-48} {(test.Ok ? $"ok, {test.ServerVersion}" : $"FAILED: {test.Error}")}");
        }
        var nightly = (await services.GetRequiredService<GroupRepository>().FindAsync("nightly", ct))!;
        var schedule = (await services.GetRequiredService<ScheduleRepository>().ListAsync("group", nightly.Id, null, ct))[0];
        await Say($"   group nightly runs at '{schedule.CronExpr}' ({schedule.Timezone}); next fire {schedule.NextFireAt:u} — 'pipekit serve' runs the scheduler");

        var ok = true;
        await Step("5. run the group: everything is new, so every row moves");
        ok &= await RunGroupAsync(services, ct);

        await Step("6. the shop changes, and the group runs again: only the changes move");
        await Say($"   {await ShopDatabase.ChangeAsync(ShopPath, ct)}");
        ok &= await RunGroupAsync(services, ct);
        var orders = (await services.GetRequiredService<ModuleRepository>().FindAsync("orders", ct))!;
        var lastOrders = (await services.GetRequiredService<RunLogRepository>().ListAsync(new RunFilter { ModuleId = orders.Id, Limit = 1 }, ct))[0];
        await Say($"   orders watermarks this time: {lastOrders.WatermarkValuesJson}");
        await Say($"   orders delete detection: {lastOrders.DeletedRows ?? 0} rows left the shop and were deleted; after the run: {(lastOrders.Drift ? "DRIFT" : "verified, keys match")}");
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

        await Step("8. check and copy: pipekit verify compares both sides; pipekit copy is a one-shot module");
        var verify = await services.GetRequiredService<Pipekit.Sync.Verification.ModuleVerifier>().VerifyAsync(orders.Id,
            new Pipekit.Sync.Verification.VerifyRequest(VerifyMode.Keys, Columns: true), ct);
        await Say($"   pipekit verify orders --columns: {Pipekit.Sync.Verification.ModuleVerifier.Summary(verify)}");
        ok &= verify.Match;
        var copy = await services.GetRequiredService<Pipekit.Sync.Copy.ModuleCopier>().RunAsync(
            new Pipekit.Sync.Copy.CopyRequest { From = "shop", Table = "customers", To = "warehouse", ToTable = "snapshots.customers" },
            new RunStart { TriggeredBy = "manual", Cancellation = ct }, ct);
        await Say(string.Create(CultureInfo.InvariantCulture,
            $"   pipekit copy --from shop --table customers --to warehouse --to-table snapshots.customers: {copy.Result.Status.ToText()}, {copy.Result.RowCount:N0} rows"));
        ok &= copy.Result.Status == RunStatus.Success;

        await Step("9. a pipeline: daily_report (python task reading secrets over the SDK socket, SQL transform in the warehouse, shell task)");
        ok &= await RunPipelineAsync(environment, ct);
        await Step("10. the lake: module lake_orders syncs the warehouse's orders into Parquet; the run registers the dataset, queried with SQL");
        var lakeModule = (await services.GetRequiredService<ModuleRepository>().FindAsync("lake_orders", ct))!;
        var lakeRun = await (await services.GetRequiredService<RunCoordinator>().StartModuleRunAsync(lakeModule.Id,
            new RunStart { TriggeredBy = "manual", Cancellation = ct }, ct)).Completion;
        await Say(string.Create(CultureInfo.InvariantCulture,
            $"   lake_orders    {lakeRun.Status.ToText(),-8} {lakeRun.RowCount,9:N0} rows  run {lakeRun.RunId}{(lakeRun.Error is null ? "" : $"  {lakeRun.Error}")}"));
        ok &= lakeRun.Status == RunStatus.Success;
        var dataset = await services.GetRequiredService<IDatasetStore>().FindAsync("lake_orders", ct);
        await Say($"   dataset lake_orders ({dataset?.Format}, {dataset?.Uri}): {dataset?.Status ?? "missing"}");
        ok &= dataset?.Status == DatasetStatuses.Ok;
        await Say($"   {DemoQuery}");
        await using (var cursor = await services.GetRequiredService<QueryEngine>().OpenAsync(DemoQuery, ct))
        {
            var table = new StringWriter(CultureInfo.InvariantCulture);
            await TableResultEncoder.WriteAsync(cursor, table, 20, services.GetRequiredService<Redactor>(), ct);
            foreach (var line in table.ToString().TrimEnd().Split('\n')) await Say($"   {line.TrimEnd()}");
        }

        await Step("11. chains: replay a SQL project on cached snapshots (DuckDB layer files here; PostgreSQL templates with [chains].postgres)");
        await DemoChains.RunAsync(services, Say, Path.Combine(_home.Root, "chain"), ct);

        await Step("12. doctor");
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
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit apply -f {ProjectPath} --dry-run");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit export");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit verify orders");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit pipelines runs");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit pipelines logs {DemoPipeline.Name}");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit pipelines audit");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit query \"SELECT status, count(*) FROM orders GROUP BY status\"");
        await Say($"   PIPEKIT_HOME={_home.Root} ./pipekit chain plan {Path.Combine(_home.Root, "chain")} --head test/01_expensive.sql --engine duckdb");
        return ok;
    }

    private async Task<bool> RunGroupAsync(IServiceProvider services, CancellationToken ct)
    {
        var group = (await services.GetRequiredService<GroupRepository>().FindAsync("nightly", ct))!;
        var started = await services.GetRequiredService<RunCoordinator>().StartGroupRunAsync(group.Id,
            new RunStart { TriggeredBy = "manual", Cancellation = ct }, ct);
        var groupRunId = started.GroupRunId;
        var runs = services.GetRequiredService<RunLogRepository>();
        var result = await started.Completion;
        foreach (var member in result.Members)
        {
            var entry = member.RunId is { } id ? await runs.GetAsync(id, ct) : null;
            await Say(string.Create(CultureInfo.InvariantCulture,
                $"   {entry?.ModuleName,-14} {member.Status.ToText(),-8} {member.RowCount,9:N0} rows  {(entry?.DurationMs ?? 0) / 1000.0,6:0.00} s  run {member.RunId}{(member.Error is null ? "" : $"  {member.Error}")}"));
        }
        await Say($"   group nightly: {result.Status.ToText()} (group run {groupRunId})");
        return result.Status == RunStatus.Success;
    }

    private async Task<bool> RunPipelineAsync(PipekitEnvironment environment, CancellationToken ct)
    {
        await DemoPipeline.WriteAsync(environment.PipelinesWorkspace, ct);
        await SecretsFile.SetAsync(environment.SecretsPath, DemoPipeline.Name, "warehouse_db", $"duckdb://{WarehousePath}", ct);
        await SecretsFile.SetAsync(environment.SecretsPath, DemoPipeline.Name, "report_recipient", "finance@example.com", ct);
        await SecretsFile.SetAsync(environment.SecretsPath, null, "report_api_token", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12)), ct);
        await Say($"   project {Path.Combine(environment.PipelinesWorkspace, "projects", DemoPipeline.Name)}; secrets warehouse_db and report_recipient in [{DemoPipeline.Name}], report_api_token in [global]");
        // Secrets were added above: a fresh service provider loads the file as a run would.
        await using var services = new ServiceCollection().AddPipekitCore(environment, await SecretStore.LoadAsync(environment.SecretsPath, ct))
            .AddPipekitPipelines().BuildServiceProvider();
        var report = await services.GetRequiredService<Pipekit.Pipelines.Projects.Workspace>().LoadAsync(ct);
        await Say($"   validate: {(report.IsValid ? $"{report.Projects.Count} DAG(s) valid" : string.Join("; ", report.Problems))}");
        var result = await services.GetRequiredService<PipelineRunService>().RunAsync(
            new PipelineRunRequest { Dag = DemoPipeline.Name, TriggeredBy = "demo", Output = line => _out.WriteLine($"   {line}") }, null, ct);
        foreach (var t in result.Outcome.Tasks)
            await Say(string.Create(CultureInfo.InvariantCulture,
                $"   {t.Task,-14} {t.Status.ToText(),-8} {t.Attempts} attempt(s) {(t.Duration?.TotalSeconds ?? 0),6:0.00} s"));
        await Say($"   run {result.RunId}: {result.Outcome.Status.ToText()}; logs in {Path.Combine(environment.Home.RunsDirectory, result.RunId.ToString(CultureInfo.InvariantCulture), "logs")}");
        await using (var warehouse = new DuckDB.NET.Data.DuckDBConnection($"Data Source={WarehousePath}"))
        {
            await warehouse.OpenAsync(ct);
            await using var command = warehouse.CreateCommand();
            command.CommandText = "SELECT count(*), round(sum(revenue), 2) FROM analytics.daily_report";
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (await reader.ReadAsync(ct))
                await Say(string.Create(CultureInfo.InvariantCulture, $"   analytics.daily_report: {reader.GetInt64(0):N0} rows, revenue {reader.GetValue(1)}"));
        }
        return result.Outcome.Status == PipelineRunStatus.Success;
    }

    /// <summary>The file that says the demo created its directory and may reset it.</summary>
    public const string MarkerFile = ".pipekit-demo";

    /// <summary>
    /// Resets the demo's directory. A directory the demo did not create (it exists, is not empty and has no marker) is
    /// someone's installation or files: the demo refuses it rather than delete what is in it.
    /// </summary>
    private void Reset()
    {
        var marker = Path.Combine(_home.Root, MarkerFile);
        if (Directory.Exists(_home.Root) && !File.Exists(marker) && Directory.EnumerateFileSystemEntries(_home.Root).Any())
            throw new UsageException(
                $"{_home.Root} was not created by the demo (no {MarkerFile} file in it), so the demo will not reset it; run './pipekit demo --home DIR' with a new or empty directory");
        Directory.CreateDirectory(_home.Root);
        File.WriteAllText(marker, "created by 'pipekit demo'; the demo resets this directory on every run\n");
        var workspace = Path.Combine(_home.Root, "workspace");
        if (Directory.Exists(workspace)) Directory.Delete(workspace, recursive: true);
        if (Directory.Exists(_home.RunsDirectory)) Directory.Delete(_home.RunsDirectory, recursive: true);
        foreach (var file in new[] { _home.DefaultStatePath, _home.DefaultStatePath + "-wal", _home.DefaultStatePath + "-shm", ShopPath, WarehousePath, WarehousePath + ".wal", _home.DefaultSecretsPath, ProjectPath })
            if (File.Exists(file)) File.Delete(file);
        if (Directory.Exists(LakePath)) Directory.Delete(LakePath, recursive: true);
    }

    private Task Step(string title) => _out.WriteLineAsync($"\n-- {title}");

    private Task Say(string line) => _out.WriteLineAsync(line);
}
