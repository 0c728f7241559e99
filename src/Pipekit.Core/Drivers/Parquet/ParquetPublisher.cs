using System.Globalization;
using DuckDB.NET.Data;
using Pipekit.Core.Drivers.DuckDb;

namespace Pipekit.Core.Drivers.Parquet;

/// <summary>
/// One publication of a table into its dataset directory, under the dataset's writer lock: write the new file into a
/// temporary directory, rename it to a version directory, write the manifest (the atomic step), then remove versions
/// that neither the new nor the previous manifest names (the previous one stays for queries that listed it).
/// Any failure before the manifest is renamed leaves the dataset as it was.
/// </summary>
internal sealed class ParquetPublisher(string root, DuckDBConnection connection, DuckDbDialect dialect)
{
    private const string FilePart = "part-0.parquet";

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
        var appending = request.AppendedRows is not null && current is not null;
        Directory.CreateDirectory(temporary);
        var manifestWritten = false;
        try
        {
            var source = appending ? request.AppendedRows! : request.Table;
            var columns = await ColumnsAsync(request.Table, cancellationToken);
            await ExecuteAsync($"COPY (SELECT {string.Join(", ", columns.Select(dialect.QuoteIdentifier))} FROM {dialect.QualifyTable(source)}) " +
                $"TO {ParquetLake.Literal(Path.Combine(temporary, FilePart))} (FORMAT parquet)", cancellationToken);
            Directory.Move(temporary, published);
            var file = await DescribeAsync(Path.Combine(published, FilePart), $"{version}/{FilePart}", request.StatColumns, cancellationToken);
            var manifest = new ParquetManifest
            {
                Version = version,
                WrittenAt = DateTimeOffset.UtcNow,
                Files = appending ? [.. current!.Files, file] : [file],
            };
            await ParquetLake.WriteManifestAsync(directory, manifest, cancellationToken);
            manifestWritten = true;
            RemoveUnreferencedVersions(directory, manifest, current);
            return new PublishedFiles(directory, "parquet", manifest.Files.Count, manifest.Rows);
        }
        finally
        {
            if (Directory.Exists(temporary)) Directory.Delete(temporary, recursive: true);
            if (!manifestWritten && Directory.Exists(published)) Directory.Delete(published, recursive: true);
        }
    }

    // The destination's columns in table order: an appended-rows table has the same columns (staging is made like the destination).
    private async Task<IReadOnlyList<string>> ColumnsAsync(TableName table, CancellationToken cancellationToken)
    {
        var columns = await new Introspector(connection, dialect).GetColumnsAsync(table, cancellationToken);
        if (columns.Count == 0) throw new DriverException($"table {table} is missing from the working copy; nothing to publish");
        return columns.OrderBy(c => c.Ordinal).Select(c => c.Name).ToList();
    }

    private async Task<ParquetManifestFile> DescribeAsync(string path, string relative, IReadOnlyList<string> statColumns, CancellationToken cancellationToken)
    {
        var select = new List<string> { "count(*)" };
        foreach (var column in statColumns)
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
        for (var i = 0; i < statColumns.Count; i++)
        {
            min[statColumns[i]] = reader.IsDBNull(1 + 2 * i) ? null : reader.GetString(1 + 2 * i);
            max[statColumns[i]] = reader.IsDBNull(2 + 2 * i) ? null : reader.GetString(2 + 2 * i);
        }
        return new ParquetManifestFile { Path = relative, Rows = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Min = min, Max = max };
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

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
