using Microsoft.Data.Sqlite;

namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>SQLite through Microsoft.Data.Sqlite; bulk loads use one prepared INSERT in one transaction.</summary>
internal sealed class SqliteDriver() : EngineDriver<SqliteConnection, SqliteDialect>(new SqliteDialect())
{
    public override string Kind => "sqlite";

    public override IReadOnlyList<string> Schemes { get; } = ["sqlite"];

    public override string BulkPath => "prepared INSERT in one transaction";

    public override string DescribeServer(System.Data.Common.DbConnection connection) => "SQLite " + connection.ServerVersion;

    protected override SqliteConnection CreateConnection(ResolvedConnection connection) => new(SqliteConnectionString.Build(connection));

    protected override IBulkWriter CreateBulkWriter(SqliteConnection connection, BulkWriteTarget target) => new SqliteBulkWriter(connection, target, Dialect);

    /// <summary>
    /// Microsoft.Data.Sqlite looks at a token only between rows, so a query that works long before its first row (an
    /// aggregate over a big table) would outlive its cancellation; <c>sqlite3_interrupt</c> stops it where it is.
    /// </summary>
    public override CancellationTokenRegistration InterruptOnCancel(System.Data.Common.DbConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.Register(static state =>
        {
            if (((SqliteConnection)state!).Handle is { } handle) SQLitePCL.raw.sqlite3_interrupt(handle);
        }, connection);
}
