using System.Globalization;
using System.Text.RegularExpressions;
using Pipekit.Core.Connections;
using Pipekit.Core.Datasets;
using Pipekit.Core.Drivers;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Runs;

/// <summary>
/// A run into a file destination (Parquet): no merge SQL runs on the working copy. The staged rows are published as the
/// module's strategy says (full: a new file set; append: one more file; incremental: the files holding matching keys
/// rewritten without them, plus one more file), swapped in with one rename, and the dataset <c>&lt;module&gt;</c> is
/// registered or refreshed so that it is queryable when the run ends.
/// </summary>
internal sealed partial class FilePublication(IDatasetRegistration? datasets)
{
    [GeneratedRegex(@"[A-Za-z_][A-Za-z0-9_]*|""(?:[^""]|"""")+""")]
    private static partial Regex Identifier();

    /// <summary>What the run does instead of merge SQL, for the run log and the module's materialised merge SQL.</summary>
    public static string Describe(Module module, TableName destTable) => module.MergeStrategy switch
    {
        MergeStrategy.Full => $"-- {destTable}: COPY staging TO a new file set (FORMAT parquet); swap the manifest",
        MergeStrategy.Append => $"-- {destTable}: COPY staging TO one more file (FORMAT parquet); swap the manifest",
        _ => $"-- {destTable}: rewrite the files whose ({string.Join(", ", module.MergeKeyColumns)}) range may hold a staged key, without the rows matching it; " +
             "COPY staging TO one more file (FORMAT parquet); swap the manifest",
    };

    /// <summary>Refuses, before any data moves, what a file destination cannot do.</summary>
    public static void Check(Module module, string destination)
    {
        if (module.MergeStrategy == MergeStrategy.Incremental && module.DeleteDetection != DeleteDetection.None)
            throw new SyncException($"delete_detection = \"{module.DeleteDetection.ToText()}\" does not apply to {destination}, a file destination " +
                "(its files are rewritten only where staged keys fall); set delete_detection = \"none\", or use merge_strategy = \"full\" to mirror deletes");
    }

    /// <summary>
    /// The columns that get a per-file min/max in the manifest: the merge key, and the destination columns that a
    /// watermark resolving on the destination names (<c>SELECT max(updated_at) FROM orders</c> → <c>updated_at</c>).
    /// </summary>
    public static IReadOnlyList<string> StatColumns(Module module, IReadOnlyList<string> columns)
    {
        var stats = new List<string>(module.MergeKeyColumns);
        foreach (var watermark in module.Watermarks.Where(w => w.ConnectionId == module.DestConnectionId))
            foreach (Match token in Identifier().Matches(watermark.ResolverSql))
            {
                var name = token.Value.StartsWith('"') ? token.Value[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : token.Value;
                var column = columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
                if (column is not null && !stats.Contains(column, StringComparer.OrdinalIgnoreCase)) stats.Add(column);
            }
        return stats;
    }

    public async Task PublishAsync(Module module, IFileDestination files, OpenConnection dest, TableName destTable, TableName staging,
        IReadOnlyList<string> columns, Action<string> log, CancellationToken ct)
    {
        var mode = module.MergeStrategy switch
        {
            MergeStrategy.Full => FileWriteMode.Replace,
            MergeStrategy.Append => FileWriteMode.Append,
            _ => FileWriteMode.Merge,
        };
        var request = new FilePublishRequest(destTable, staging, mode, module.MergeKeyColumns, StatColumns(module, columns));
        var published = await files.PublishAsync(dest.Resolved, dest.Connection, request, ct);
        log(string.Create(CultureInfo.InvariantCulture,
            $"published {published.Rows} rows in {published.FileCount} {published.Format} file(s) to {published.Directory}: " +
            $"{published.Added} added, {published.Rewritten} rewritten, {published.Untouched} untouched"));
        if (datasets is null)
        {
            log("the query part is not hosted here; the dataset is registered by the next run on a server");
            return;
        }
        try
        {
            log(await datasets.RegisterAsync(module.Name, published.Directory, published.Format, module.Name, CancellationToken.None));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The files are in place; a registration that fails is said, not a failed run.
            log($"dataset {module.Name}: not registered: {ex.Message}");
        }
    }
}
