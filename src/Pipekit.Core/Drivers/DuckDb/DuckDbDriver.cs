using System.Data.Common;
using DuckDB.NET.Data;

namespace Pipekit.Core.Drivers.DuckDb;

/// <summary>DuckDB in process through DuckDB.NET; bulk loads use the Appender inside a transaction.</summary>
internal sealed class DuckDbDriver : IDriver
{
    private readonly DuckDbDialect _dialect = new();

    public string Kind => "duckdb";

    public IReadOnlyList<string> Schemes { get; } = ["duckdb"];

    public string BulkPath => "Appender (in a transaction)";

    public ISqlDialect GetDialect(string? dialectName) =>
        string.IsNullOrWhiteSpace(dialectName) || dialectName.Equals(_dialect.Name, StringComparison.OrdinalIgnoreCase)
            ? _dialect
            : throw new DriverException($"the duckdb driver speaks only the 'duckdb' dialect, not '{dialectName}'; remove the dialect setting");

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = new DuckDBConnection(DuckDbConnectionString.Build(connection));
        try
        {
            await db.OpenAsync(cancellationToken);
            return db;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await db.DisposeAsync();
            throw ConnectionErrors.CannotOpen(connection, ex);
        }
    }

    public IBulkWriter CreateBulkWriter(DbConnection connection, BulkWriteTarget target) =>
        new DuckDbBulkWriter(
            connection as DuckDBConnection ?? throw new ArgumentException("the duckdb bulk writer needs a DuckDB connection", nameof(connection)),
            target,
            _dialect);

    public string DescribeServer(DbConnection connection) => "DuckDB " + connection.ServerVersion;
}
