using System.Globalization;

namespace Pipekit.Core.Drivers.Parquet;

/// <summary>
/// Writes the files of one new version into its temporary directory (<c>part-0.parquet</c>, <c>part-1.parquet</c> …),
/// each with one <c>COPY … (FORMAT parquet)</c> that DuckDB streams from its source, and describes each for the manifest
/// under the version's name (the directory is renamed to it before the manifest names the files).
/// </summary>
internal sealed class FileSetWriter(ParquetPublisher publisher, FilePublishRequest request, string temporary, string version)
{
    private int _next;

    public FilePublishRequest Request => request;

    /// <summary>The dataset directory the manifest's relative paths start from.</summary>
    public string DatasetDirectory => Path.GetDirectoryName(temporary)!;

    /// <summary>Files written from the staged rows.</summary>
    public int Added { get; private set; }

    /// <summary>Files written from a current file, without the rows a merge dropped.</summary>
    public int Rewritten { get; private set; }

    /// <summary>The staged rows, in the staged columns' order, as one new file.</summary>
    public async Task<ParquetManifestFile> WriteStagedAsync(IReadOnlyList<StagedColumn> staged, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", staged.Select(c => publisher.Dialect.QuoteIdentifier(c.Name)));
        await publisher.RefuseIntervalsParquetCannotHoldAsync(publisher.Dialect.QualifyTable(request.Rows), staged, cancellationToken);
        var file = await WriteAsync($"SELECT {columns} FROM {publisher.Dialect.QualifyTable(request.Rows)}", cancellationToken);
        Added++;
        return file;
    }

    /// <summary>What <paramref name="select"/> keeps of a current file, as a new file.</summary>
    public async Task<ParquetManifestFile> RewriteAsync(string select, CancellationToken cancellationToken)
    {
        var file = await WriteAsync(select, cancellationToken);
        Rewritten++;
        return file;
    }

    private async Task<ParquetManifestFile> WriteAsync(string select, CancellationToken cancellationToken)
    {
        var name = "part-" + _next++.ToString(CultureInfo.InvariantCulture) + ".parquet";
        var path = Path.Combine(temporary, name);
        await publisher.ExecuteAsync($"COPY ({select}) TO {ParquetLake.Literal(path)} (FORMAT parquet)", cancellationToken);
        return await publisher.DescribeAsync(path, $"{version}/{name}", request.StatColumns, cancellationToken);
    }
}
