using System.Data.Common;
using DuckDB.NET.Data;

namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>DuckDB in process through DuckDB.NET; bulk loads use the Appender inside a transaction.</summary>
internal sealed class DuckDbDriver() : EngineDriver<DuckDBConnection, DuckDbDialect>(new DuckDbDialect()), IStreamingReads, IExactReads
{
    public override string Kind => "duckdb";

    public override IReadOnlyList<string> Schemes { get; } = ["duckdb"];

    public override string BulkPath => "Appender (in a transaction)";

    public override string DescribeServer(DbConnection connection) => "DuckDB " + connection.ServerVersion;

    /// <summary>DuckDB.NET materialises a whole result unless the command streams.</summary>
    public void PrepareForStreaming(DbCommand command)
    {
        if (command is DuckDBCommand duck) duck.UseStreamingMode = true;
    }

    /// <summary>
    /// DECIMAL columns wider than 28 digits, and INTERVAL columns, are read as exact text (DuckDB.NET would round the
    /// wide ones to a System.Decimal and refuse an interval with months).
    /// </summary>
    public Task<string> ExactQueryAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken) =>
        DuckDbExactQuery.RewriteAsync(connection, transaction, sql, cancellationToken);

    /// <summary>
    /// DuckDB.NET runs a query synchronously and looks at the token only before it starts; cancelling a command
    /// interrupts its connection (<c>duckdb_interrupt</c>), which stops whatever statement runs there.
    /// </summary>
    public override CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.Register(static state =>
        {
            using var command = ((DuckDBConnection)state!).CreateCommand();
            command.Cancel();
        }, connection);

    protected override DuckDBConnection CreateConnection(ResolvedConnection connection) => new(DuckDbConnectionString.Build(connection));

    protected override IBulkWriter CreateBulkWriter(DuckDBConnection connection, BulkWriteTarget target) => new DuckDbBulkWriter(connection, target, Dialect);

    protected override bool? IsTransientError(Exception exception) =>
        exception is DuckDBException duck ? DuckDbTransientErrors.IsTransient(duck) : null;
}
