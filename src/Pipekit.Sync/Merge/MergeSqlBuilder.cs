using Pipekit.Core.Drivers;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Merge;

/// <summary>
/// Builds the merge of a staging table into its destination for one strategy and dialect. Every identifier
/// is quoted by the destination dialect; column lists are the module's destination columns.
/// <list type="bullet">
/// <item>full: empty the destination (TRUNCATE where it is transactional, else DELETE FROM), then INSERT … SELECT.</item>
/// <item>incremental: DELETE … WHERE EXISTS matching every merge-key column, then INSERT … SELECT.</item>
/// <item>append: INSERT … SELECT.</item>
/// </list>
/// </summary>
public static class MergeSqlBuilder
{
    public static MergePlan Build(ISqlDialect dialect, MergeStrategy strategy, TableName destination, TableName staging,
        IReadOnlyList<string> columns, IReadOnlyList<string> mergeKey)
    {
        if (columns.Count == 0) throw new ArgumentException("a merge needs at least one column", nameof(columns));
        var dest = dialect.QualifyTable(destination);
        var stage = dialect.QualifyTable(staging);
        var columnList = string.Join(", ", columns.Select(dialect.QuoteIdentifier));
        var insert = $"INSERT INTO {dest} ({columnList}) SELECT {columnList} FROM {stage}";
        return strategy switch
        {
            MergeStrategy.Full => new MergePlan([dialect.Ddl.EmptyTable(destination), insert]),
            MergeStrategy.Incremental => new MergePlan([DeleteMatching(dialect, dest, stage, mergeKey), insert]),
            MergeStrategy.Append => new MergePlan([insert]),
            _ => throw new ArgumentOutOfRangeException(nameof(strategy)),
        };
    }

    // The destination is referenced by its full name inside the subquery rather than by an alias, because
    // SQLite and MySQL do not accept an alias on the target of a DELETE.
    private static string DeleteMatching(ISqlDialect dialect, string dest, string stage, IReadOnlyList<string> mergeKey)
    {
        if (mergeKey.Count == 0) throw new ArgumentException("an incremental merge needs a merge key", nameof(mergeKey));
        var match = string.Join(" AND ", mergeKey.Select(k =>
        {
            var q = dialect.QuoteIdentifier(k);
            return $"s.{q} = {dest}.{q}";
        }));
        return $"DELETE FROM {dest} WHERE EXISTS (SELECT 1 FROM {stage} s WHERE {match})";
    }
}
