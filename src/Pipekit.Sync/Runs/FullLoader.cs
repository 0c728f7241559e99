using System.Data.Common;
using System.Globalization;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Transfer;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Runs;

/// <summary>
/// A full module's run without staging (<c>full_load</c> = direct or swap). Both write the source's rows once:
/// <list type="bullet">
/// <item>direct: one destination transaction empties the table and bulk-loads it; a failure rolls both back. Readers of
/// an engine that locks (PostgreSQL's TRUNCATE) wait for the load; MVCC engines (DuckDB, SQLite in WAL) keep serving the old rows.</item>
/// <item>swap: a new table built like the destination is loaded and committed, then one transaction renames the
/// destination away, the new table into its place, and drops the old one. Readers never wait for the load.</item>
/// </list>
/// </summary>
internal sealed class FullLoader(TransferEngine transfer)
{
    /// <summary>The statements the run executes, as stored on the module and in the run log.</summary>
    public static string Script(FullLoad mode, long moduleId, IDdlDialect ddl, ISqlDialect dialect, TableName destTable)
    {
        var dest = dialect.QualifyTable(destTable);
        if (mode == FullLoad.Direct)
            return $"-- one transaction:\n{ddl.EmptyTable(destTable)};\n-- the source's rows are bulk-loaded into {dest} here;\nCOMMIT;";
        var (replacement, retired) = SwapNames(moduleId, destTable);
        var swap = ddl.SwapIn(destTable, replacement, retired) ?? [];
        return $"{ddl.DropTableIfExists(replacement)};\n{ddl.CreateReplacement(replacement, destTable)};\n"
               + $"-- the source's rows are bulk-loaded into {dialect.QualifyTable(replacement)} and committed;\n-- one transaction:\n"
               + string.Concat(swap.Select(s => s + ";\n")) + $"{ddl.DropTableIfExists(retired)};\nCOMMIT;";
    }

    /// <summary>The loaded table and the retired one, next to the destination (a rename cannot move a table between schemas).</summary>
    public static (TableName Replacement, TableName Retired) SwapNames(long moduleId, TableName destTable) =>
        (destTable with { Table = string.Create(CultureInfo.InvariantCulture, $"pipekit_swap_new_{moduleId}") },
         destTable with { Table = string.Create(CultureInfo.InvariantCulture, $"pipekit_swap_old_{moduleId}") });

    public async Task<FullLoadResult> RunAsync(Module module, OpenConnection source, OpenConnection dest, TableName destTable, string resolvedSql,
        LiveLog live, CancellationToken ct)
    {
        var engine = new DestinationEngine(DestinationEngine.NameOf(dest.Driver.Kind, dest.Record.Dialect), dest.Dialect.Ddl);
        if (engine.FullLoadProblem(module.FullLoad) is { } problem)
            throw new SyncException($"module '{module.Name}': full_load {problem}");
        return module.FullLoad == FullLoad.Direct
            ? await DirectAsync(module, source, dest, destTable, resolvedSql, live, ct)
            : await SwapAsync(module, source, dest, destTable, resolvedSql, live, ct);
    }

    private async Task<FullLoadResult> DirectAsync(Module module, OpenConnection source, OpenConnection dest, TableName destTable, string resolvedSql,
        LiveLog live, CancellationToken ct)
    {
        var ddl = dest.Dialect.Ddl;
        await using var tx = await dest.Connection.BeginTransactionAsync(ct);
        await ExecuteAsync(dest, ddl.EmptyTable(destTable), tx, ct);
        live.Write($"full load (direct): {ddl.EmptyTable(destTable)}; loading {dest.Dialect.QualifyTable(destTable)} in the same transaction");
        var result = await TransferAsync(module, source, dest, destTable, destTable, tx, resolvedSql, live, ct);
        await tx.CommitAsync(ct);
        return result;
    }

    private async Task<FullLoadResult> SwapAsync(Module module, OpenConnection source, OpenConnection dest, TableName destTable, string resolvedSql,
        LiveLog live, CancellationToken ct)
    {
        var ddl = dest.Dialect.Ddl;
        var (replacement, retired) = SwapNames(module.Id, destTable);
        // What an earlier failed run left behind (on engines whose DDL is not transactional) goes first.
        await ExecuteAsync(dest, ddl.DropTableIfExists(replacement), null, ct);
        await ExecuteAsync(dest, ddl.DropTableIfExists(retired), null, ct);
        await ExecuteAsync(dest, ddl.CreateReplacement(replacement, destTable)!, null, ct);
        live.Write($"full load (swap): loading {dest.Dialect.QualifyTable(replacement)}, built like {dest.Dialect.QualifyTable(destTable)}");
        FullLoadResult result;
        try
        {
            result = await TransferAsync(module, source, dest, replacement, destTable, null, resolvedSql, live, ct);
            // Readers query the new table as soon as it is swapped in: give the planner its statistics first.
            if (ddl.Analyze(replacement) is { } analyze) await ExecuteAsync(dest, analyze, null, ct);
            await SwapInAsync(module, dest, destTable, replacement, retired, live, ct);
        }
        catch
        {
            await DropQuietlyAsync(dest, replacement);
            throw;
        }
        return result;
    }

    private static async Task SwapInAsync(Module module, OpenConnection dest, TableName destTable, TableName replacement, TableName retired,
        LiveLog live, CancellationToken ct)
    {
        var ddl = dest.Dialect.Ddl;
        var swap = ddl.SwapIn(destTable, replacement, retired)!;
        try
        {
            await using var tx = await dest.Connection.BeginTransactionAsync(ct);
            foreach (var statement in swap) await ExecuteAsync(dest, statement, tx, ct);
            // Where DDL is transactional, the old table goes in the same transaction: if something still depends on it
            // (a view, a foreign key) the whole swap rolls back and the destination stays as it was.
            if (ddl.TransactionalDdl) await ExecuteAsync(dest, ddl.DropTableIfExists(retired), tx, ct);
            await tx.CommitAsync(ct);
        }
        catch (DbException ex) when (!ct.IsCancellationRequested)
        {
            throw new SyncException($"module '{module.Name}': swapping the loaded table into {dest.Dialect.QualifyTable(destTable)} failed and was rolled back: "
                + $"{ex.Message.Trim()}. Views, foreign keys and grants stay with the old table under full_load = \"swap\"; drop them or use \"direct\"");
        }
        live.Write($"full load (swap): {string.Join("; ", swap)}");
        if (ddl.TransactionalDdl) return;
        try
        {
            await ExecuteAsync(dest, ddl.DropTableIfExists(retired), null, CancellationToken.None);
        }
        catch (DbException ex)
        {
            // The new rows are in place; only the old copy is left over. The next run drops it before it starts.
            live.Write($"full load (swap): the old table {dest.Dialect.QualifyTable(retired)} could not be dropped: {ex.Message.Trim()}");
        }
    }

    private async Task<FullLoadResult> TransferAsync(Module module, OpenConnection source, OpenConnection dest, TableName into, TableName destTable,
        DbTransaction? tx, string resolvedSql, LiveLog live, CancellationToken ct)
    {
        live.Write($"transfer: {source.Record.Name} → {dest.Record.Name} {dest.Dialect.QualifyTable(into)}");
        var target = new BulkWriteTarget(into, module.Columns.Count > 0 ? module.Columns.Select(c => c.DestName).ToList() : []) { Transaction = tx };
        TransferResult result;
        try
        {
            result = await transfer.TransferAsync(new TransferSource(source.Connection, source.Driver, resolvedSql),
                new TransferDestination(dest.Connection, dest.Driver, target), live, ct);
        }
        catch (DriverException ex) when (!ct.IsCancellationRequested)
        {
            var introspector = new Introspector(dest.Connection, dest.Dialect);
            // In the destination's own transaction the catalog is read after the rollback, on the same connection.
            if (tx is not null) await tx.RollbackAsync(CancellationToken.None);
            var explained = TransferErrors.Explain(ex, into, destTable, await introspector.GetColumnsAsync(destTable, CancellationToken.None));
            if (explained is null) throw;
            throw explained;
        }
        var log = string.Create(CultureInfo.InvariantCulture,
            $"{result.Rows} rows from {source.Record.Name} into {into} in {result.Elapsed.TotalSeconds:0.000} s");
        live.Write(log);
        return new FullLoadResult(result.Rows, log);
    }

    private static async Task DropQuietlyAsync(OpenConnection dest, TableName table)
    {
        try
        {
            await ExecuteAsync(dest, dest.Dialect.Ddl.DropTableIfExists(table), null, CancellationToken.None);
        }
        catch (DbException)
        {
            // The connection may be broken; the next run drops the table before it starts.
        }
    }

    private static async Task ExecuteAsync(OpenConnection connection, string sql, DbTransaction? tx, CancellationToken ct)
    {
        await using var command = connection.Command(sql, tx);
        await command.ExecuteNonQueryAsync(ct);
    }
}
