using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>SQLite through Microsoft.Data.Sqlite; bulk loads use one prepared INSERT in one transaction.</summary>
internal sealed class SqliteDriver : IDriver
{
    private readonly SqliteDialect _dialect = new();

    public string Kind => "sqlite";

    public IReadOnlyList<string> Schemes { get; } = ["sqlite"];

    public string BulkPath => "prepared INSERT in one transaction";

    public ISqlDialect GetDialect(string? dialectName) =>
        string.IsNullOrWhiteSpace(dialectName) || dialectName.Equals(_dialect.Name, StringComparison.OrdinalIgnoreCase)
            ? _dialect
            : throw new DriverException($"the sqlite driver speaks only the 'sqlite' dialect, not '{dialectName}'; remove the dialect setting");

    public async Task<DbConnection> OpenAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var db = new SqliteConnection(SqliteConnectionString.Build(connection));
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
        new SqliteBulkWriter(
            connection as SqliteConnection ?? throw new ArgumentException("the sqlite bulk writer needs a SQLite connection", nameof(connection)),
            target,
            _dialect);

    public string DescribeServer(DbConnection connection) => "SQLite " + connection.ServerVersion;
}
