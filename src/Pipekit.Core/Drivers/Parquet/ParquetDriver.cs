using System.Data.Common;
using DuckDB.NET.Data;
using Pipekit.Core.Drivers.DuckDb;

namespace Pipekit.Core.Drivers.Parquet;

/// <summary>
/// A lake of Parquet datasets (<c>parquet:///dir</c>) as a destination. A connection is an in-memory DuckDB working copy:
/// every published dataset of the lake is loaded as a table of that name, so watermarks, introspection, staging and the
/// merge SQL work as on DuckDB. After the merge commits, <see cref="PublishAsync"/> writes the table out with
/// <c>COPY … (FORMAT parquet)</c> into a new version directory and swaps the manifest.
/// </summary>
internal sealed class ParquetDriver() : EngineDriver<DuckDBConnection, DuckDbDialect>(new DuckDbDialect()), IStreamingReads, IExactReads, IFileDestination
{
    public override string Kind => "parquet";

    public override IReadOnlyList<string> Schemes { get; } = ["parquet"];

    public override string BulkPath => "Appender into a DuckDB working copy, then COPY … (FORMAT parquet) and a manifest swap";

    public override string DescribeServer(DbConnection connection) => "Parquet lake (DuckDB " + connection.ServerVersion + ")";

    public void PrepareForStreaming(DbCommand command)
    {
        if (command is DuckDBCommand duck) duck.UseStreamingMode = true;
    }

    public Task<string> ExactQueryAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken) =>
        DuckDbExactQuery.RewriteAsync(connection, transaction, sql, cancellationToken);

    public override CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.Register(static state =>
        {
            using var command = ((DuckDBConnection)state!).CreateCommand();
            command.Cancel();
        }, connection);

    public Task<PublishedFiles> PublishAsync(ResolvedConnection resolved, DbConnection connection, FilePublishRequest request, CancellationToken cancellationToken) =>
        new ParquetPublisher(ParquetLake.Root(resolved), (DuckDBConnection)connection, Dialect).PublishAsync(request, cancellationToken);

    protected override DuckDBConnection CreateConnection(ResolvedConnection connection)
    {
        ParquetLake.Root(connection);
        return new DuckDBConnection("Data Source=:memory:");
    }

    protected override async Task PrepareSessionAsync(DuckDBConnection connection, ResolvedConnection resolved, CancellationToken cancellationToken)
    {
        var root = ParquetLake.Root(resolved);
        if (!Directory.Exists(root))
            throw new DriverException($"connection '{resolved.Name}': the lake directory {root} does not exist; create it (mkdir -p {root})");
        foreach (var directory in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            if (!ParquetLake.IsDatasetName(name) || await ParquetLake.ReadManifestAsync(directory, cancellationToken) is not { } manifest) continue;
            var files = string.Join(", ", ParquetLake.FilesOf(directory, manifest).Select(ParquetLake.Literal));
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE TABLE {Dialect.QuoteIdentifier(name)} AS SELECT * FROM read_parquet([{files}], union_by_name = true)";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    protected override IBulkWriter CreateBulkWriter(DuckDBConnection connection, BulkWriteTarget target) => new DuckDbBulkWriter(connection, target, Dialect);

    protected override bool? IsTransientError(Exception exception) =>
        exception is DuckDBException duck ? DuckDbTransientErrors.IsTransient(duck) : null;

    protected override Exception? CannotOpen(ResolvedConnection connection, Exception error) =>
        error is DriverException ? error : base.CannotOpen(connection, error);
}
