using System.Data.Common;
using DuckDB.NET.Data;
using Pipekit.Core.Drivers.DuckDb;

namespace Pipekit.Core.Drivers.Parquet;

/// <summary>
/// A lake of Parquet datasets (<c>parquet:///dir</c>) as a destination. A connection is an in-memory DuckDB working copy
/// where every published dataset of the lake is a view of that name over exactly the files its manifest names (nothing is
/// loaded), so watermarks, introspection and staging work as on DuckDB. The run's rows are staged in the working copy;
/// <see cref="PublishAsync"/> writes them out with <c>COPY … (FORMAT parquet)</c> and swaps the manifest.
/// </summary>
internal sealed class ParquetDriver() : EngineDriver<DuckDBConnection, DuckDbDialect>(new DuckDbDialect()), IStreamingReads, IExactReads, IFileDestination
{
    // Where the working copy keeps the empty table shaped like a published dataset's files.
    private const string ShapeSchema = "_pipekit_shape";

    public override string Kind => "parquet";

    public override IReadOnlyList<string> Schemes { get; } = ["parquet"];

    public override string BulkPath => "Appender into staging in a DuckDB working copy, then COPY … (FORMAT parquet) of the staged rows and a manifest swap";

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
        var schemaCreated = false;
        foreach (var directory in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(directory);
            if (!ParquetLake.IsDatasetName(name) || await ParquetLake.ReadManifestAsync(directory, cancellationToken) is not { } manifest) continue;
            if (manifest.Files.Count == 0) continue;
            if (!schemaCreated)
            {
                await ExecuteAsync(connection, $"CREATE SCHEMA {Dialect.QuoteIdentifier(ShapeSchema)}", cancellationToken);
                schemaCreated = true;
            }
            // Nothing is loaded: the shape table holds no row, and the view reads the manifest's files when a query runs.
            var files = "read_parquet([" + string.Join(", ", ParquetLake.FilesOf(directory, manifest).Select(ParquetLake.Literal)) + "], union_by_name = true)";
            var shape = Dialect.QualifyTable(ShapeOf(name));
            await ExecuteAsync(connection, $"CREATE TABLE {shape} AS SELECT * FROM {files} LIMIT 0", cancellationToken);
            await ExecuteAsync(connection, $"CREATE VIEW {Dialect.QuoteIdentifier(name)} AS SELECT * FROM {shape} UNION ALL BY NAME SELECT * FROM {files}", cancellationToken);
        }
    }

    public async Task<TableName> SchemaTableAsync(DbConnection connection, TableName table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var shape = ShapeOf(ParquetLake.DatasetName(table));
        return await new Introspector(connection, Dialect).TableExistsAsync(shape, cancellationToken) ? shape : table;
    }

    private static TableName ShapeOf(string dataset) => new(dataset, ShapeSchema);

    private static async Task ExecuteAsync(DuckDBConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override IBulkWriter CreateBulkWriter(DuckDBConnection connection, BulkWriteTarget target) => new DuckDbBulkWriter(connection, target, Dialect);

    protected override bool? IsTransientError(Exception exception) =>
        exception is DuckDBException duck ? DuckDbTransientErrors.IsTransient(duck) : null;

    protected override Exception? CannotOpen(ResolvedConnection connection, Exception error) =>
        error is DriverException ? error : base.CannotOpen(connection, error);
}
