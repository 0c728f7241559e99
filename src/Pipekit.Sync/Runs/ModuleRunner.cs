using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Pipekit.Core.Configuration;
using Pipekit.Core.Connections;
using Pipekit.Core.Datasets;
using Pipekit.Core.Drivers;
using Pipekit.Core.Secrets;
using Pipekit.Core.Transfer;
using Pipekit.Core.Validation;
using Pipekit.Sync.Deletes;
using Pipekit.Sync.Hooks;
using Pipekit.Sync.Locks;
using Pipekit.Sync.Merge;
using Pipekit.Sync.Modules;
using Pipekit.Sync.SchemaChanges;
using Pipekit.Sync.Verification;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Runs;

/// <summary>
/// Runs one module, following seed 002's engine flow in order: lock, resolve watermarks, materialise the
/// source and merge SQL, stop here for a dry run, recreate staging, transfer into staging, merge in one
/// destination transaction, run hooks, write the run log, release the lock (always, in <c>finally</c>).
/// Every trigger — CLI, API, group, scheduler — comes through here.
/// </summary>
public sealed class ModuleRunner
{
    private readonly ModuleRepository _modules;
    private readonly ConnectionRepository _connections;
    private readonly ConnectionFactory _factory;
    private readonly WatermarkResolver _watermarks;
    private readonly HookRunner _hooks;
    private readonly TransferEngine _transfer;
    private readonly RunLogRepository _runs;
    private readonly ModuleLocks _locks;
    private readonly Redactor _redactor;
    private readonly ILogger _logger;
    private readonly DeleteDetector _deletes;
    private readonly ModuleVerifier _verifier;
    private readonly FilePublication _files;
    private readonly FullLoader _fullLoads;
    private readonly TimeProvider _time;

    public ModuleRunner(ModuleRepository modules, ConnectionRepository connections, ConnectionFactory factory, WatermarkResolver watermarks,
        HookRunner hooks, TransferEngine transfer, RunLogRepository runs, ModuleLocks locks, Redactor redactor, TimeProvider time,
        ILogger<ModuleRunner>? logger = null, IDatasetRegistration? datasets = null)
    {
        _files = new FilePublication(datasets);
        _time = time;
        _modules = modules;
        _connections = connections;
        _factory = factory;
        _watermarks = watermarks;
        _hooks = hooks;
        _transfer = transfer;
        _runs = runs;
        _locks = locks;
        _redactor = redactor;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _deletes = new DeleteDetector(transfer);
        _verifier = new ModuleVerifier(modules, connections, factory, watermarks);
        _fullLoads = new FullLoader(transfer);
    }

    public async Task<RunResult> RunAsync(long moduleId, RunOptions options, CancellationToken cancellationToken)
    {
        var module = await _modules.GetAsync(moduleId, cancellationToken) ?? throw new ModuleNotFoundException($"with id {moduleId}");
        var owner = ProcessIdentity.Current();

        // 1. Lock: one atomic UPDATE decides, whoever triggered the run.
        if (!await _locks.TryAcquireAsync(module.Id, owner, cancellationToken))
        {
            long? refusedRunId = options.QueuedRunId;
            if (refusedRunId is null && options.GroupRunId is not null)
                refusedRunId = await _runs.StartAsync(module.Id, options.GroupRunId, options.TriggeredBy, RunStatus.Running, owner.ToString(), cancellationToken);
            var holder = await _modules.GetAsync(module.Id, cancellationToken) ?? module;
            var message = LockHolder.AlreadyRunning(module.Name, holder.LockOwner, holder.LockedAt);
            if (refusedRunId is { } id)
                await _runs.FinishAsync(id, new RunCompletion { Status = RunStatus.Error, Error = message });
            return new RunResult(refusedRunId, RunStatus.Error, 0, message) { AlreadyRunning = true };
        }

        var run = new RunState();
        try
        {
            if (options.QueuedRunId is { } queued)
            {
                await _runs.MarkRunningAsync(queued, owner.ToString(), cancellationToken);
                run.Id = queued;
            }
            else
            {
                run.Id = await _runs.StartAsync(module.Id, options.GroupRunId, options.TriggeredBy, RunStatus.Running, owner.ToString(), cancellationToken);
            }
            options.Started?.Invoke(run.Id);
            using var scope = _logger.BeginScope(new Dictionary<string, object> { ["run_id"] = run.Id, ["module"] = module.Name });
            await using var live = new LiveLog(_runs, run.Id, options.Progress);
            try
            {
                await ExecuteWithRetriesAsync(module, options, run, live, cancellationToken);
                if (!options.DryRun)
                {
                    if (module.Hooks.Count > 0) options.Phases?.Report(RunPhase.Hooks);
                    await RunHooksAsync(module, succeeded: true, run, CancellationToken.None);
                }
                if (!options.DryRun && module.Verify != VerifyMode.None)
                    await VerifyAfterRunAsync(module, run, live, cancellationToken);
            }
            // Cancelled: the token's own exception, or whatever an interrupted statement threw on the way (SQLite: "interrupted").
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                run.Status = RunStatus.Cancelled;
                run.Error = "cancelled; the destination was left as it was";
                // Rows that reached staging did not land: the count is of rows merged into the destination.
                if (!run.Merged) run.Rows = 0;
                live.Write("cancelled");
            }
            catch (Exception ex)
            {
                run.Status = RunStatus.Error;
                run.Error = ex is ValidationException or WatermarkException or DriverException or SyncException
                    ? ex.Message
                    : $"{ex.GetType().Name}: {ex.Message}";
                run.ErrorDetail = Describe(ex);
                if (!run.Merged) run.Rows = 0;
                live.Write($"error: {ex.Message}");
                _logger.LogWarning("Module {Module} run {RunId} failed: {Error}", module.Name, run.Id, _redactor.Redact(ex.Message));
                if (!options.DryRun && run.Connections is not null)
                    await RunHooksAsync(module, succeeded: false, run, CancellationToken.None);
            }
        }
        finally
        {
            // 10 + 11: the run log is written and the lock released, in one transaction, even when the run was cancelled.
            if (run.Id != 0)
                await _runs.FinishAsync(run.Id, new RunCompletion
                {
                    Status = run.Status, Error = run.Error, RowCount = run.Rows, ResolvedSourceSql = run.ResolvedSql, MergeSql = run.MergeSql,
                    WatermarkValuesJson = run.WatermarkJson, TransferLog = run.TransferLog, ErrorDetail = run.ErrorDetail,
                    HookLog = run.HookLog, HookFailed = run.HookFailed,
                    SchemaChanges = run.SchemaChanges.Count == 0 ? null : string.Join("\n", run.SchemaChanges), DeletedRows = run.DeletedRows,
                    VerifyJson = run.VerifyJson, Drift = run.Drift, Attempts = run.Attempt,
                }, new HeldLock(module.Id, owner));
            else
                await _locks.ReleaseAsync(module.Id, owner);
        }
        return new RunResult(run.Id, run.Status, run.Rows, run.Error is null ? null : _redactor.Redact(run.Error));
    }

    // The module's retry policy around one attempt: a transient error (by the source's or the destination's driver) before
    // the merge committed starts the attempt again after the module's delay; a terminal error, a cancellation, an error
    // once the merge committed (or while it committed, when the outcome is unknown) and the last attempt's error end the run.
    private async Task ExecuteWithRetriesAsync(Module module, RunOptions options, RunState run, LiveLog live, CancellationToken ct)
    {
        var attempts = module.Retries + 1;
        for (run.Attempt = 1; ; run.Attempt++)
        {
            if (attempts > 1) live.Write($"attempt {run.Attempt}/{attempts}");
            try
            {
                await ExecuteAsync(module, options, run, live, ct);
                return;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested && run.Attempt < attempts && !run.Merged && !run.Committing && IsTransient(module, run, ex))
            {
                var delay = RetryPolicy.DelayAfter(module, run.Attempt);
                var message = _redactor.Redact(ex.Message);
                live.Write($"attempt {run.Attempt}/{attempts} failed with a transient error: {message}; retrying in {DurationText.Format(delay)}");
                _logger.LogWarning("Module {Module} run {RunId} attempt {Attempt}/{Attempts} failed with a transient error, retrying in {Delay}: {Error}",
                    module.Name, run.Id, run.Attempt, attempts, DurationText.Format(delay), message);
                // What the failed attempt gathered does not describe the next one; the ALTERs it made did happen and stay listed.
                run.Rows = 0;
                run.DeletedRows = null;
                run.TransferLog = null;
                run.Status = RunStatus.Error;
                // A cancellation while waiting ends the run as cancelled, like one during an attempt.
                await Task.Delay(delay, _time, ct);
            }
        }
    }

    private bool IsTransient(Module module, RunState run, Exception error)
    {
        if (error is Core.Errors.PipekitException { IsTransient: true }) return true;
        if (run.Connections is null) return false;
        return module.Watermarks.Select(w => w.ConnectionId).Prepend(module.DestConnectionId).Prepend(module.SourceConnectionId).Distinct()
            .Any(id => run.Connections.TryGetValue(id, out var record) && _factory.IsTransient(record, error));
    }

    private async Task ExecuteAsync(Module module, RunOptions options, RunState run, LiveLog live, CancellationToken ct)
    {
        var dryRun = options.DryRun;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var connections = (await _connections.ListAsync(ct)).ToDictionary(c => c.Id);
        run.Connections = connections;
        ModuleValidator.Validate(module, connections.Keys.ToHashSet());

        // A server source opens in the background while the destination is checked and the watermarks resolve (a dry
        // run never reads it); its error, if any, is thrown where the run needs the connection, as before.
        await using var sourceOpening = OpeningConnection.Start(_factory, connections[module.SourceConnectionId], module.Project, prefetch: !dryRun, ct, options.Warmup);
        var destRecord = connections[module.DestConnectionId];
        await using var dest = (options.Warmup is { } warm ? await warm.TakeAsync(destRecord) : null) ?? await _factory.OpenAsync(destRecord, module.Project, ct);
        var destTable = TableName.Parse(module.DestTable);
        var staging = StagingTable.For(module.Name, dest.Dialect.Ddl);
        var introspector = new Introspector(dest.Connection, dest.Dialect);
        var destExists = await introspector.TableExistsAsync(destTable, ct);

        // Said first: without columns or a table there is nothing to merge into, and every watermark reading the
        // missing table would fail with a less useful message.
        if (!destExists && module.Columns.Count == 0)
            throw new SyncException($"module '{module.Name}' declares no columns and its destination table {destTable} does not exist; declare the columns (the table is then created from them) or create the table");

        // A missing destination is created from columns_json before the watermarks resolve, because resolvers
        // usually read max(...) from it; a dry run changes nothing, so it only reports the table as missing.
        if (!destExists && !dryRun && module.Columns.Count > 0)
        {
            await CreateDestinationAsync(module, dest, destTable, ct);
            destExists = true;
            live.Write($"created destination table {destTable}");
        }

        _logger.LogDebug("destination {Table} checked after {ElapsedMs} ms", destTable, clock.ElapsedMilliseconds);

        // 2. Watermarks, live on their own connections, dry run or not.
        options.Phases?.Report(RunPhase.ResolvingWatermarks);
        IReadOnlyDictionary<string, string> values;
        if (destExists)
        {
            values = await _watermarks.ResolveAsync(module, connections, ct);
        }
        else
        {
            // Only a dry run gets here with a missing destination (a run created it above): say what the run would do.
            var notes = new List<string> { $"{destTable} does not exist yet: the run creates it from the {module.Columns.Count} declared column(s) first" };
            values = await _watermarks.ResolveBeforeDestinationExistsAsync(module, connections, notes, ct);
            foreach (var note in notes) live.Write(note);
        }
        // Redacted before encoding: JSON still escapes '"' and '\', which would hide a secret from a later redaction.
        run.WatermarkJson = WatermarkValuesJson.Write(values, _redactor.Redact);
        foreach (var (name, value) in values)
            live.Write($"watermark {name} = {value}");

        _logger.LogDebug("{Count} watermark(s) resolved after {ElapsedMs} ms", values.Count, clock.ElapsedMilliseconds);

        // 3 + 4. Materialise the source query and the merge SQL before any data moves.
        run.ResolvedSql = Placeholders.Substitute(module.SourceQuery, values);
        var columns = await MergeColumnsAsync(module, destTable, destExists, introspector, ct);
        var merge = MergeSqlBuilder.Build(dest.Dialect, module.MergeStrategy, destTable, staging, columns, module.MergeKeyColumns);
        var fullLoad = module.MergeStrategy == MergeStrategy.Full ? module.FullLoad : FullLoad.Staging;
        var fileDestination = dest.Driver as IFileDestination;
        if (fullLoad != FullLoad.Staging && fileDestination is not null)
            throw new SyncException($"full_load = \"{fullLoad.ToText()}\" does not apply to {dest.Record.Name}, a file destination: every run already writes new files and swaps them in with one rename, so readers never wait; set full_load = \"staging\"");
        if (fileDestination is not null) FilePublication.Check(module, dest.Record.Name);
        run.MergeSql = fileDestination is not null ? FilePublication.Describe(module, destTable)
            : fullLoad == FullLoad.Staging ? merge.Text : FullLoader.Script(fullLoad, module.Id, dest.Dialect.Ddl, dest.Dialect, destTable);
        await _modules.MaterialiseAsync(module.Id, _redactor.Redact(run.ResolvedSql), _redactor.Redact(run.MergeSql), ct);
        _logger.LogDebug("source and merge SQL materialised after {ElapsedMs} ms", clock.ElapsedMilliseconds);

        // 5. A dry run stops here.
        if (dryRun)
        {
            run.Status = RunStatus.DryRun;
            live.Write("dry run: watermarks resolved and SQL materialised; no data moved");
            return;
        }

        // The source's columns against the destination's, by the module's schema_change rule, before staging copies the destination.
        await using var source = await sourceOpening.TakeAsync();
        if (module.SchemaChange != SchemaChangeRule.Fail && destExists)
        {
            // A file destination's published table is a view over its files: the ALTERs go to the table its columns come from.
            var altered = fileDestination is null ? destTable : await fileDestination.SchemaTableAsync(dest.Connection, destTable, ct);
            var changes = await PlanSchemaChangesAsync(module, source, dest, destTable, altered, run.ResolvedSql, introspector, ct);
            foreach (var alter in changes)
            {
                await ExecuteAsync(dest, alter, null, ct);
                run.SchemaChanges.Add(alter);
                live.Write($"schema change: {alter}");
            }
            if (changes.Count > 0)
            {
                columns = await MergeColumnsAsync(module, destTable, destExists, introspector, ct);
                merge = MergeSqlBuilder.Build(dest.Dialect, module.MergeStrategy, destTable, staging, columns, module.MergeKeyColumns);
                if (fullLoad == FullLoad.Staging && fileDestination is null) run.MergeSql = merge.Text;
            }
        }

        // A full load without staging writes the rows once, straight into the destination or into a table swapped in.
        if (fullLoad != FullLoad.Staging)
        {
            options.Phases?.Report(RunPhase.Transferring);
            var loaded = await _fullLoads.RunAsync(module, source, dest, destTable, run.ResolvedSql, live, ct);
            run.Rows = loaded.Rows;
            run.TransferLog = loaded.TransferLog;
            run.Merged = true;
            live.Write($"full load ({fullLoad.ToText()}) committed");
            run.Status = RunStatus.Success;
            return;
        }

        // 6. A fresh staging table like the destination: dropped and recreated on every run, so it heals schema drift.
        if (dest.Dialect.Ddl.SupportsSchemas)
            await ExecuteAsync(dest, dest.Dialect.Ddl.CreateSchemaIfMissing(StagingTable.Schema), null, ct);
        await ExecuteAsync(dest, dest.Dialect.Ddl.DropTableIfExists(staging), null, ct);
        await ExecuteAsync(dest, dest.Dialect.Ddl.CreateTableLike(staging, destTable), null, ct);
        var stagingColumns = (await introspector.GetColumnsAsync(staging, ct)).Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var column in columns.Where(c => !stagingColumns.Contains(c)))
            throw new SyncException($"destination column '{column}' of module '{module.Name}' is missing from {destTable} (and so from staging); add it to the table, fix the module's columns, or set schema_change = \"add_columns\"");

        // 7. Source → staging. The bulk writer commits the staging load; a failure or cancellation rolls it back.
        options.Phases?.Report(RunPhase.Transferring);
        live.Write($"transfer: {source.Record.Name} → {dest.Record.Name} {dest.Dialect.QualifyTable(staging)}");
        var target = new BulkWriteTarget(staging, module.Columns.Count > 0 ? module.Columns.Select(c => c.DestName).ToList() : []);
        TransferResult result;
        try
        {
            result = await _transfer.TransferAsync(new TransferSource(source.Connection, source.Driver, run.ResolvedSql),
                new TransferDestination(dest.Connection, dest.Driver, target), live, ct);
        }
        catch (DriverException ex) when (!ct.IsCancellationRequested)
        {
            var explained = TransferErrors.Explain(ex, staging, destTable, await introspector.GetColumnsAsync(destTable, CancellationToken.None));
            if (explained is null) throw;
            throw explained;
        }
        run.Rows = result.Rows;
        run.TransferLog = string.Create(CultureInfo.InvariantCulture,
            $"{result.Rows} rows from {source.Record.Name} into {staging} in {result.Elapsed.TotalSeconds:0.000} s");
        live.Write(run.TransferLog);

        // The incremental merge joins staging to the destination; a planner that knows staging's size joins it well.
        if (module.MergeStrategy == MergeStrategy.Incremental && dest.Dialect.Ddl.Analyze(staging) is { } analyze)
            await ExecuteAsync(dest, analyze, null, ct);

        // Delete detection: the source's key set lands next to staging before the merge transaction opens.
        DeletePlan? deletes = null;
        if (module.MergeStrategy == MergeStrategy.Incremental && module.DeleteDetection != DeleteDetection.None)
        {
            deletes = await _deletes.PrepareAsync(module, source, dest, destTable, values, introspector, live.Write, ct);
            if (deletes.AddedColumn is { } added) run.SchemaChanges.Add(added);
            run.TransferLog += string.Create(CultureInfo.InvariantCulture,
                $"\n{deletes.Keys} keys from {source.Record.Name} into {deletes.KeysTable} in {deletes.KeysElapsed.TotalSeconds:0.000} s");
            run.MergeSql = new MergePlan([.. merge.Statements, .. deletes.Statements]).Text;
        }

        // 8. The merge: one transaction on the destination; on failure the destination is as it was. A file destination
        // publishes the staged rows instead, and its manifest's rename is the one atomic step.
        options.Phases?.Report(RunPhase.Merging);
        if (fileDestination is not null)
        {
            await _files.PublishAsync(module, fileDestination, dest, destTable, staging, columns, live.Write, ct);
            run.Merged = true;
            await ExecuteAsync(dest, dest.Dialect.Ddl.DropTableIfExists(staging), null, CancellationToken.None);
            run.Status = RunStatus.Success;
            return;
        }
        await using (var tx = await dest.Connection.BeginTransactionAsync(ct))
        {
            foreach (var statement in merge.Statements)
                await ExecuteAsync(dest, statement, tx, ct);
            if (deletes is not null)
            {
                var phase = System.Diagnostics.Stopwatch.StartNew();
                for (var i = 0; i < deletes.Statements.Count; i++)
                {
                    await using var command = dest.Command(deletes.Statements[i], tx);
                    var affected = await command.ExecuteNonQueryAsync(ct);
                    if (i == 0) run.DeletedRows = affected;
                }
                var what = module.DeleteDetection == DeleteDetection.Soft ? "marked deleted" : "deleted";
                var line = string.Create(CultureInfo.InvariantCulture, $"delete detection: {run.DeletedRows} rows {what} in {phase.Elapsed.TotalSeconds:0.000} s");
                run.TransferLog += "\n" + line;
                live.Write(line);
            }
            // A failure while committing leaves the outcome unknown (the server may have committed): never retried.
            run.Committing = true;
            await tx.CommitAsync(ct);
        }
        live.Write("merge committed");
        run.Merged = true;
        if (deletes is not null)
            await ExecuteAsync(dest, dest.Dialect.Ddl.DropTableIfExists(deletes.KeysTable), null, CancellationToken.None);

        // Staging is dropped after success and kept after a failure, for inspection.
        await ExecuteAsync(dest, dest.Dialect.Ddl.DropTableIfExists(staging), null, CancellationToken.None);
        run.Status = RunStatus.Success;
    }

    // The columns the run writes, with the declared type or the destination driver's mapping of the source's type.
    private static async Task<IReadOnlyList<string>> PlanSchemaChangesAsync(Module module, OpenConnection source, OpenConnection dest, TableName destTable,
        TableName altered, string resolvedSql, Introspector introspector, CancellationToken ct)
    {
        var described = await SourceColumns.DescribeAsync(source, resolvedSql, ct);
        string Mapped(ColumnInfo c) => dest.Dialect.RenderType(source.Dialect.ToPortable(c));
        var wanted = module.Columns.Count > 0
            ? module.Columns.Select((c, i) => new WantedColumn(c.DestName,
                !string.IsNullOrWhiteSpace(c.DestType) ? c.DestType
                : i < described.Count ? Mapped(described[i])
                : dest.Dialect.RenderType(new PortableType(PortableKind.Text)))).ToList()
            : described.Select(c => new WantedColumn(c.Name, Mapped(c))).ToList();
        return SchemaChangePlanner.Plan(module.SchemaChange, dest.Dialect, altered, wanted, await introspector.GetColumnsAsync(destTable, ct));
    }

    internal static async Task<IReadOnlyList<string>> MergeColumnsAsync(Module module, TableName destTable, bool destExists, Introspector introspector,
        CancellationToken ct)
    {
        if (module.Columns.Count > 0) return module.Columns.Select(c => c.DestName).ToList();
        if (!destExists)
            throw new SyncException($"module '{module.Name}' declares no columns and {destTable} does not exist; declare the columns or create the table");
        var columns = (await introspector.GetColumnsAsync(destTable, ct)).Select(c => c.Name).ToList();
        foreach (var key in module.MergeKeyColumns.Where(k => !columns.Contains(k, StringComparer.OrdinalIgnoreCase)))
            throw new SyncException($"merge-key column '{key}' is not a column of {destTable}");
        return columns;
    }

    private static async Task CreateDestinationAsync(Module module, OpenConnection dest, TableName table, CancellationToken ct)
    {
        var definitions = module.Columns.Select(c => new ColumnDefinition(c.DestName,
            string.IsNullOrWhiteSpace(c.DestType) ? dest.Dialect.RenderType(new PortableType(PortableKind.Text)) : c.DestType)).ToList();
        if (table.Schema is { } schema && dest.Dialect.Ddl.SupportsSchemas)
            await ExecuteAsync(dest, dest.Dialect.Ddl.CreateSchemaIfMissing(schema), null, ct);
        await ExecuteAsync(dest, dest.Dialect.Ddl.CreateTable(table, definitions), null, ct);
    }

    // The merge has committed: whatever the verification meets (an unreachable source, a cancellation) is recorded with
    // it and leaves the run a success; only a difference it finds marks the run "success, drift".
    private async Task VerifyAfterRunAsync(Module module, RunState run, LiveLog live, CancellationToken ct)
    {
        try
        {
            var result = await _verifier.VerifyAsync(module, run.Connections!, new VerifyRequest(module.Verify), ct);
            run.VerifyJson = JsonSerializer.Serialize(result, VerifyJson.Options);
            run.Drift = !result.Match;
            live.Write(ModuleVerifier.Summary(result));
        }
        catch (Exception ex)
        {
            var message = ex is OperationCanceledException ? "cancelled" : ex.Message;
            run.VerifyJson = JsonSerializer.Serialize(new Dictionary<string, string> { ["error"] = _redactor.Redact(message) }, VerifyJson.Options);
            live.Write($"verify: could not compare: {message}");
        }
    }

    private async Task RunHooksAsync(Module module, bool succeeded, RunState run, CancellationToken ct)
    {
        if (module.Hooks.Count == 0 || run.Connections is null) return;
        var outcome = await _hooks.RunAsync(module, succeeded, run.Connections, ct);
        run.HookLog = outcome.Log;
        run.HookFailed = outcome.Failed;
    }

    private static async Task ExecuteAsync(OpenConnection connection, string sql, DbTransaction? tx, CancellationToken ct)
    {
        await using var command = connection.Command(sql, tx);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static string Describe(Exception ex)
    {
        var lines = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
            lines.Add($"{e.GetType().Name}: {e.Message}");
        return string.Join("\n", lines);
    }
}
