using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Pipekit.Core.Drivers.Sqlite;

/// <summary>SQLite through Microsoft.Data.Sqlite; bulk loads use one prepared INSERT in one transaction.</summary>
internal sealed class SqliteDriver() : EngineDriver<SqliteConnection, SqliteDialect>(new SqliteDialect())
{
    // SQLITE_BUSY (another connection holds a conflicting lock) and SQLITE_LOCKED (a conflict inside one connection's
    // shared cache) clear when the other writer finishes; the primary code is the low byte of an extended one.
    private const int Busy = 5;
    private const int Locked = 6;

    public override string Kind => "sqlite";

    public override IReadOnlyList<string> Schemes { get; } = ["sqlite"];

    public override string BulkPath => "prepared INSERT in one transaction";

    public override string DescribeServer(DbConnection connection) => "SQLite " + connection.ServerVersion;

    /// <summary>
    /// Microsoft.Data.Sqlite looks at a token only between rows, so a query that works long before its first row (an
    /// aggregate over a big table) would outlive its cancellation; <c>sqlite3_interrupt</c> stops it where it is.
    /// </summary>
    public override CancellationTokenRegistration InterruptOnCancel(DbConnection connection, CancellationToken cancellationToken) =>
        cancellationToken.Register(static state =>
        {
            if (((SqliteConnection)state!).Handle is { } handle) SQLitePCL.raw.sqlite3_interrupt(handle);
        }, connection);

    protected override SqliteConnection CreateConnection(ResolvedConnection connection) => new(SqliteConnectionString.Build(connection));

    protected override IBulkWriter CreateBulkWriter(SqliteConnection connection, BulkWriteTarget target) => new SqliteBulkWriter(connection, target, Dialect);

    protected override bool? IsTransientError(Exception exception) =>
        exception is SqliteException sqlite ? (sqlite.SqliteErrorCode & 0xFF) is Busy or Locked : null;
}
