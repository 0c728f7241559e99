using Pipekit.Core.Drivers;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Deletes;

/// <summary>
/// The set-based statements of delete detection, run in the merge transaction after the merge itself: destination
/// rows whose merge key is not in the keys table are deleted (hard), or get <c>_pipekit_deleted_at</c> set (soft; a
/// marked row whose key is back in the source is unmarked). The destination is referenced by its full name in the
/// subquery, as in the merge, because SQLite and MySQL take no alias on the target of a DELETE or UPDATE.
/// </summary>
public static class DeleteSqlBuilder
{
    /// <summary>The column soft delete detection sets.</summary>
    public const string DeletedAtColumn = "_pipekit_deleted_at";

    /// <summary>The statements in order; the first one's affected-row count is the number of rows deleted or marked.</summary>
    public static IReadOnlyList<string> Build(ISqlDialect dialect, DeleteDetection mode, TableName destination, TableName keys,
        IReadOnlyList<string> keyColumns)
    {
        if (keyColumns.Count == 0) throw new ArgumentException("delete detection needs the merge-key columns", nameof(keyColumns));
        var dest = dialect.QualifyTable(destination);
        var match = string.Join(" AND ", keyColumns.Select(k =>
        {
            var q = dialect.QuoteIdentifier(k);
            return $"k.{q} = {dest}.{q}";
        }));
        var inKeys = $"EXISTS (SELECT 1 FROM {dialect.QualifyTable(keys)} k WHERE {match})";
        var deletedAt = dialect.QuoteIdentifier(DeletedAtColumn);
        return mode switch
        {
            DeleteDetection.Hard => [$"DELETE FROM {dest} WHERE NOT {inKeys}"],
            DeleteDetection.Soft =>
            [
                $"UPDATE {dest} SET {deletedAt} = CURRENT_TIMESTAMP WHERE {deletedAt} IS NULL AND NOT {inKeys}",
                $"UPDATE {dest} SET {deletedAt} = NULL WHERE {deletedAt} IS NOT NULL AND {inKeys}",
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(mode), "no statements for delete_detection = none"),
        };
    }

    /// <summary>Counts the destination rows an empty key set would delete (soft: those not yet marked).</summary>
    public static string CountLive(ISqlDialect dialect, DeleteDetection mode, TableName destination) =>
        $"SELECT count(*) FROM {dialect.QualifyTable(destination)}" +
        (mode == DeleteDetection.Soft ? $" WHERE {dialect.QuoteIdentifier(DeletedAtColumn)} IS NULL" : "");
}
