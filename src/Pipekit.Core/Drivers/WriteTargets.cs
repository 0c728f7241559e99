using System.Data.Common;

namespace Pipekit.Core.Drivers;

/// <summary>What every bulk writer does before its first row: read the destination's columns and line them up with the source.</summary>
internal static class WriteTargets
{
    /// <summary>Runs a catalog query in the writer's transaction and maps each row.</summary>
    public static async Task<List<T>> QueryAsync<T>(
        DbConnection connection, DbTransaction? transaction, CatalogQuery query, Func<DbDataReader, T> map, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = query.Sql;
        command.Transaction = transaction;
        foreach (var (name, value) in query.Parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) rows.Add(map(reader));
        return rows;
    }

    /// <summary>For writers that map columns by name on the server: the source must have one column per target column.</summary>
    public static void RequireColumnCount(DbDataReader source, BulkWriteTarget target, string qualifiedTable)
    {
        if (source.FieldCount != target.Columns.Count)
            throw new DriverException(
                $"the source has {source.FieldCount} columns but {qualifiedTable} is loaded through {target.Columns.Count} ({string.Join(", ", target.Columns)})");
    }

    /// <summary>
    /// The table's columns in the target's order. Names match exactly first, then ignoring case, because
    /// source aliases are lowercase while the destination may have been created with quoted mixed case.
    /// </summary>
    public static List<T> Resolve<T>(BulkWriteTarget target, IReadOnlyList<T> tableColumns, Func<T, string> name, int sourceColumns)
    {
        if (tableColumns.Count == 0) throw BulkWriteErrors.MissingTable(target.Table);
        if (sourceColumns != target.Columns.Count)
            throw BulkWriteErrors.ColumnCountMismatch(target.Table, sourceColumns, target.Columns.Count);
        var resolved = new List<T>(target.Columns.Count);
        var missing = new List<string>();
        foreach (var wanted in target.Columns)
        {
            var match = tableColumns.FirstOrDefault(c => string.Equals(name(c), wanted, StringComparison.Ordinal));
            match ??= tableColumns.FirstOrDefault(c => string.Equals(name(c), wanted, StringComparison.OrdinalIgnoreCase));
            if (match is null) missing.Add(wanted);
            else resolved.Add(match);
        }
        if (missing.Count > 0) throw BulkWriteErrors.UnknownColumns(target.Table, missing);
        return resolved;
    }
}
