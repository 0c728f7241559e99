using System.Data.Common;
using Pipekit.Core.Drivers;

namespace Pipekit.Core.Connections;

/// <summary>An open database connection with the driver and dialect that speak to it. Disposing closes it.</summary>
public sealed class OpenConnection : IAsyncDisposable
{
    private readonly CancellationTokenRegistration _interrupt;

    /// <param name="cancellationToken">
    /// The operation the connection is opened for: while the connection is open, cancelling it stops the running
    /// statement even where the provider would only notice between rows (<see cref="IDriver.InterruptOnCancel"/>).
    /// </param>
    public OpenConnection(ConnectionRecord record, ResolvedConnection resolved, IDriver driver, ISqlDialect dialect, DbConnection connection,
        CancellationToken cancellationToken = default)
    {
        Record = record;
        Resolved = resolved;
        Driver = driver;
        Dialect = dialect;
        Connection = connection;
        _interrupt = driver.InterruptOnCancel(connection, cancellationToken);
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

    public async ValueTask DisposeAsync()
    {
        // First: disposing the registration waits for a running interrupt, which must not meet a closed handle.
        await _interrupt.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
