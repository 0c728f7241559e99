using System.Data.Common;
using Pipekit.Core.Drivers;

namespace Pipekit.Core.Connections;

/// <summary>An open database connection with the driver and dialect that speak to it. Disposing closes it.</summary>
public sealed class OpenConnection : IAsyncDisposable
{
    public OpenConnection(ConnectionRecord record, ResolvedConnection resolved, IDriver driver, ISqlDialect dialect, DbConnection connection)
    {
        Record = record;
        Resolved = resolved;
        Driver = driver;
        Dialect = dialect;
        Connection = connection;
    }

    public ConnectionRecord Record { get; }
    public ResolvedConnection Resolved { get; }
    public IDriver Driver { get; }
    public ISqlDialect Dialect { get; }
    public DbConnection Connection { get; }

    /// <summary>A command on this connection with no timeout: syncs and hooks may legitimately run for hours.</summary>
    public DbCommand Command(string sql, DbTransaction? transaction = null)
    {
        var command = Connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 0;
        command.Transaction = transaction;
        return command;
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
