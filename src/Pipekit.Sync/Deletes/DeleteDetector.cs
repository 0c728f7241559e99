using System.Globalization;
using Pipekit.Core.Connections;
using Pipekit.Core.Drivers;
using Pipekit.Core.Transfer;
using Pipekit.Sync.Modules;
using Pipekit.Sync.Runs;
using Pipekit.Sync.Watermarks;

namespace Pipekit.Sync.Deletes;

/// <summary>
/// Prepares delete detection for an incremental run: streams the source's key set into a keys table next to staging
/// (<c>pipekit_staging.{module}__keys</c>) through the same bulk path as staging, and refuses to go on when the key
/// set is empty and the destination is not, unless the module allows an empty source. The deletes themselves run in
/// the merge transaction (<see cref="DeleteSqlBuilder"/>).
/// </summary>
internal sealed class DeleteDetector(TransferEngine transfer)
{
    public static TableName KeysTable(Module module, IDdlDialect ddl) => StagingTable.For(module.Name + "__keys", ddl);

    public async Task<DeletePlan> PrepareAsync(Module module, OpenConnection source, OpenConnection dest, TableName destTable,
        IReadOnlyDictionary<string, string> watermarks, Introspector introspector, Action<string> log, CancellationToken ct)
    {
        var scope = SourceScope.KeysQuery(module, source.Dialect);
        if (scope.Sql is null) throw new SyncException(scope.Error!);
        var keysSql = Placeholders.Substitute(scope.Sql, watermarks);
        var keyColumns = module.MergeKeyColumns;

        var destColumns = await introspector.GetColumnsAsync(destTable, ct);
        string? added = null;
        if (module.DeleteDetection == DeleteDetection.Soft
            && !destColumns.Any(c => string.Equals(c.Name, DeleteSqlBuilder.DeletedAtColumn, StringComparison.OrdinalIgnoreCase)))
        {
            added = dest.Dialect.Ddl.AddColumn(destTable,
                new ColumnDefinition(DeleteSqlBuilder.DeletedAtColumn, dest.Dialect.RenderType(new PortableType(PortableKind.TimestampTz))));
            await ExecuteAsync(dest, added, ct);
            log($"added column {DeleteSqlBuilder.DeletedAtColumn} to {destTable} for soft delete detection");
        }

        // The keys table holds only the key columns, typed as the destination's: a copy of the whole destination row
        // would carry NOT NULL constraints on columns the key set never fills.
        var definitions = new List<ColumnDefinition>();
        foreach (var key in keyColumns)
        {
            var column = destColumns.FirstOrDefault(c => string.Equals(c.Name, key, StringComparison.OrdinalIgnoreCase))
                ?? throw new SyncException($"merge-key column '{key}' is not a column of {destTable}");
            definitions.Add(new ColumnDefinition(column.Name, dest.Dialect.RenderType(dest.Dialect.ToPortable(column))));
        }
        var keysTable = KeysTable(module, dest.Dialect.Ddl);
        await ExecuteAsync(dest, dest.Dialect.Ddl.DropTableIfExists(keysTable), ct);
        await ExecuteAsync(dest, dest.Dialect.Ddl.CreateTable(keysTable, definitions), ct);
        var result = await transfer.TransferAsync(new TransferSource(source.Connection, source.Driver, keysSql),
            new TransferDestination(dest.Connection, dest.Driver, new BulkWriteTarget(keysTable, definitions.Select(d => d.Name).ToList())), null, ct);
        log(string.Create(CultureInfo.InvariantCulture, $"keys: {result.Rows} keys from {source.Record.Name} into {keysTable} in {result.Elapsed.TotalSeconds:0.000} s"));
        if (dest.Dialect.Ddl.Analyze(keysTable) is { } analyze)
            await ExecuteAsync(dest, analyze, ct);

        if (result.Rows == 0 && !module.AllowEmptySource)
        {
            await using var count = dest.Command(DeleteSqlBuilder.CountLive(dest.Dialect, module.DeleteDetection, destTable));
            var live = Convert.ToInt64(await count.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
            if (live > 0)
            {
                await ExecuteAsync(dest, dest.Dialect.Ddl.DropTableIfExists(keysTable), CancellationToken.None);
                throw new SyncException(
                    $"the keys query returned nothing; refusing to delete {live} rows (if the source really is empty, set allow_empty_source = true)");
            }
        }
        var statements = DeleteSqlBuilder.Build(dest.Dialect, module.DeleteDetection, destTable, keysTable,
            definitions.Select(d => d.Name).ToList());
        return new DeletePlan(keysTable, statements, result.Rows, result.Elapsed, added);
    }

    private static async Task ExecuteAsync(OpenConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.Command(sql);
        await command.ExecuteNonQueryAsync(ct);
    }
}
