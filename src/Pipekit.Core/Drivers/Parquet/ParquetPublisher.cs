using System.Globalization;
using DuckDB.NET.Data;
using Pipekit.Core.Drivers.DuckDb;

namespace Pipekit.Core.Drivers.Parquet;

/// <summary>
/// One publication of a run's staged rows into their dataset directory, under the dataset's writer lock. New files are
/// written with <c>COPY … (FORMAT parquet)</c> straight from staging (or from one current file, when a merge drops rows
/// from it) into a temporary directory, which is renamed to a version directory; then the manifest is replaced (the
/// atomic step) and versions that neither the new nor the previous manifest names are removed (the previous one stays
/// for queries that listed it). A merge reads only the files whose merge-key range (from the manifest) can hold a staged
/// key; every other file keeps its name and bytes. Any failure before the manifest is renamed leaves the dataset as it was.
/// </summary>
internal sealed class ParquetPublisher(string root, DuckDBConnection connection, DuckDbDialect dialect)
{
    public async Task<PublishedFiles> PublishAsync(FilePublishRequest request, CancellationToken cancellationToken)
    {
        var name = ParquetLake.DatasetName(request.Table);
        var directory = Path.Combine(root, name);
        Directory.CreateDirectory(directory);
        await using var gate = await ParquetLake.LockAsync(directory, cancellationToken);
        var current = await ParquetLake.ReadManifestAsync(directory, cancellationToken);
        RemoveAbandonedTemporaries(directory);

        var version = "v" + DateTime.UtcNow.Ticks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
        var temporary = Path.Combine(directory, ".tmp-" + version);
        var published = Path.Combine(directory, version);
        Directory.CreateDirectory(temporary);
        var manifestWritten = false;
        try
        {
            var staged = await ColumnsAsync(dialect.QualifyTable(request.Rows), cancellationToken);
            if (staged.Count == 0) throw new DriverException($"table {request.Rows} has no columns in the working copy; nothing to publish");
            var writer = new FileSetWriter(this, request, temporary, version);
            var mode = current is null ? FileWriteMode.Replace : request.Mode;
            var files = mode switch
            {
                FileWriteMode.Replace => [await writer.WriteStagedAsync(staged, cancellationToken)],
                FileWriteMode.Append => await AppendAsync(writer, current!, staged, cancellationToken),
                _ => await MergeAsync(writer, current!, staged, cancellationToken),
            };
            if (files is null)
            {
                // Nothing to add and no row to drop: the current files stay current, and no version is written.
                return new PublishedFiles(directory, "parquet", current!.Files.Count, current.Rows) { Untouched = current.Files.Count };
            }
            Directory.Move(temporary, published);
            var manifest = new ParquetManifest { Version = version, WrittenAt = DateTimeOffset.UtcNow, Files = files };
            await ParquetLake.WriteManifestAsync(directory, manifest, cancellationToken);
            manifestWritten = true;
            RemoveUnreferencedVersions(directory, manifest, current);
            var previous = (current?.Files ?? []).Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            return new PublishedFiles(directory, "parquet", manifest.Files.Count, manifest.Rows)
            {
                Added = writer.Added, Rewritten = writer.Rewritten, Untouched = manifest.Files.Count(f => previous.Contains(f.Path)),
            };
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            if (!manifestWritten && Directory.Exists(published)) Directory.Delete(published, recursive: true);
        }
    }

    // append: the staged rows become one more file; none staged, nothing changes.
    private async Task<IReadOnlyList<ParquetManifestFile>?> AppendAsync(FileSetWriter writer, ParquetManifest current, IReadOnlyList<StagedColumn> staged,
        CancellationToken cancellationToken)
    {
        if (await CountAsync($"SELECT count(*) FROM {dialect.QualifyTable(writer.Request.Rows)}", cancellationToken) == 0) return null;
        return [.. current.Files, await writer.WriteStagedAsync(staged, cancellationToken)];
    }

    // incremental: a file whose recorded merge-key range holds no staged key is kept as it is, unread. One that does is
    // checked for rows matching a staged key (reading only its key columns): none, it is kept; all, it is dropped;
    // some, it is rewritten without them. The staged rows then become one more file.
    private async Task<IReadOnlyList<ParquetManifestFile>?> MergeAsync(FileSetWriter writer, ParquetManifest current, IReadOnlyList<StagedColumn> staged,
        CancellationToken cancellationToken)
    {
        var request = writer.Request;
        if (request.MergeKey.Count == 0) throw new DriverException($"an incremental publication of {request.Table} needs a merge key");
        var keys = request.MergeKey.Select(k => staged.FirstOrDefault(c => string.Equals(c.Name, k, StringComparison.OrdinalIgnoreCase))
            ?? throw new DriverException($"merge-key column '{k}' is not a column of {request.Table}")).ToList();
        var stage = dialect.QualifyTable(request.Rows);
        var files = new List<ParquetManifestFile>();
        var changed = false;
        foreach (var file in current.Files)
        {
            if (!await MayHoldStagedKeyAsync(file, keys, stage, cancellationToken))
            {
                files.Add(file);
                continue;
            }
            var path = Path.GetFullPath(Path.Combine(writer.DatasetDirectory, file.Path));
            var match = string.Join(" AND ", keys.Select(k => $"s.{dialect.QuoteIdentifier(k.Name)} = f.{dialect.QuoteIdentifier(k.Name)}"));
            var matching = $"EXISTS (SELECT 1 FROM {stage} s WHERE {match})";
            var dropped = await CountAsync($"SELECT count(*) FROM read_parquet({ParquetLake.Literal(path)}) f WHERE {matching}", cancellationToken);
            if (dropped == 0)
            {
                files.Add(file);
                continue;
            }
            changed = true;
            if (dropped < file.Rows)
                files.Add(await writer.RewriteAsync($"SELECT f.* FROM read_parquet({ParquetLake.Literal(path)}) f WHERE NOT {matching}", cancellationToken));
        }
        var delta = await CountAsync($"SELECT count(*) FROM {stage}", cancellationToken);
        if (delta > 0 || files.Count == 0) files.Add(await writer.WriteStagedAsync(staged, cancellationToken));
        else if (!changed) return null;
        return files;
    }

    // Whether a staged key can fall in the file's recorded min/max of every merge-key column. A file without those stats
    // (written before the key was set) is read; a file whose key is NULL throughout matches nothing, as in SQL.
    private async Task<bool> MayHoldStagedKeyAsync(ParquetManifestFile file, IReadOnlyList<StagedColumn> keys, string stage, CancellationToken cancellationToken)
    {
        if (file.Rows == 0) return false;
        var conditions = new List<string>();
        foreach (var key in keys)
        {
            if (!file.Min.TryGetValue(key.Name, out var min) || !file.Max.TryGetValue(key.Name, out var max)) return true;
            if (min is null || max is null) return false;
            var q = dialect.QuoteIdentifier(key.Name);
            conditions.Add($"{q} BETWEEN CAST({Text(min)} AS {key.Type}) AND CAST({Text(max)} AS {key.Type})");
        }
        return await CountAsync($"SELECT count(*) FROM (SELECT 1 FROM {stage} WHERE {string.Join(" AND ", conditions)} LIMIT 1)", cancellationToken) > 0;
    }

    internal async Task<IReadOnlyList<StagedColumn>> ColumnsAsync(string relation, CancellationToken cancellationToken)
    {
        var columns = new List<StagedColumn>();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DESCRIBE SELECT * FROM {relation}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            columns.Add(new StagedColumn(reader.GetString(0), reader.GetString(1)));
        return columns;
    }

    /// <summary>
    /// A Parquet INTERVAL holds months, days and milliseconds, none negative: DuckDB refuses a negative part without
    /// naming the column, and drops the microseconds below a millisecond without a word. Either is refused here first,
    /// naming the column and the first such value as its parts' text.
    /// </summary>
    internal async Task RefuseIntervalsParquetCannotHoldAsync(string relation, IReadOnlyList<StagedColumn> staged, CancellationToken cancellationToken)
    {
        foreach (var column in staged.Where(c => c.Type.Equals("INTERVAL", StringComparison.OrdinalIgnoreCase)))
        {
            var q = dialect.QuoteIdentifier(column.Name);
            var months = $"(datepart('year', {q}) * 12 + datepart('month', {q}))";
            var micros = $"(datepart('hour', {q}) * 3600000000 + datepart('minute', {q}) * 60000000 + datepart('microseconds', {q}))";
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {DuckDbExactQuery.IntervalText(q)} FROM {relation} " +
                $"WHERE {months} < 0 OR datepart('day', {q}) < 0 OR {micros} < 0 OR {micros} % 1000 <> 0 LIMIT 1";
            if (await command.ExecuteScalarAsync(cancellationToken) is string value)
                throw new DriverException(
                    $"column \"{column.Name}\": a Parquet INTERVAL holds months, days and whole milliseconds, none negative, so '{value}' cannot be written; " +
                    "declare the column's type as text to keep the interval exactly as its parts' text");
        }
    }

    internal async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    internal async Task<long> CountAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    internal async Task<ParquetManifestFile> DescribeAsync(string path, string relative, IReadOnlyList<string> statColumns, CancellationToken cancellationToken)
    {
        var present = await ColumnsAsync($"read_parquet({ParquetLake.Literal(path)})", cancellationToken);
        var stats = statColumns.Select(c => present.FirstOrDefault(p => string.Equals(p.Name, c, StringComparison.OrdinalIgnoreCase)) is { } column ? (Key: c, column.Name) : default)
            .Where(s => s.Key is not null).ToList();
        var select = new List<string> { "count(*)" };
        foreach (var (_, column) in stats)
        {
            var q = dialect.QuoteIdentifier(column);
            select.Add($"CAST(min({q}) AS VARCHAR)");
            select.Add($"CAST(max({q}) AS VARCHAR)");
        }
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {string.Join(", ", select)} FROM read_parquet({ParquetLake.Literal(path)})";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var min = new Dictionary<string, string?>();
        var max = new Dictionary<string, string?>();
        for (var i = 0; i < stats.Count; i++)
        {
            min[stats[i].Key] = reader.IsDBNull(1 + 2 * i) ? null : reader.GetString(1 + 2 * i);
            max[stats[i].Key] = reader.IsDBNull(2 + 2 * i) ? null : reader.GetString(2 + 2 * i);
        }
        return new ParquetManifestFile { Path = relative, Rows = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Min = min, Max = max };
    }

    internal DuckDbDialect Dialect => dialect;

    private static string Text(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    // Under the writer lock no other publication is running here, so a temporary directory is a crashed one's leftover.
    private static void RemoveAbandonedTemporaries(string directory)
    {
        foreach (var leftover in Directory.EnumerateDirectories(directory, ".tmp-*"))
            Directory.Delete(leftover, recursive: true);
    }

    private static void RemoveUnreferencedVersions(string directory, ParquetManifest manifest, ParquetManifest? previous)
    {
        var keep = manifest.Files.Concat(previous?.Files ?? []).Select(f => f.Path.Split('/')[0]).ToHashSet(StringComparer.Ordinal);
        foreach (var version in Directory.EnumerateDirectories(directory, "v*"))
            if (!keep.Contains(Path.GetFileName(version)))
                Directory.Delete(version, recursive: true);
    }
}
