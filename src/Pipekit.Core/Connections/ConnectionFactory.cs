using Pipekit.Core.Drivers;

namespace Pipekit.Core.Connections;

/// <summary>Opens stored connections: resolves the secret, picks the driver and dialect, opens the connection.</summary>
public sealed class ConnectionFactory
{
    private readonly ConnectionResolver _resolver;
    private readonly DriverRegistry _drivers;

    public ConnectionFactory(ConnectionResolver resolver, DriverRegistry drivers)
    {
        _resolver = resolver;
        _drivers = drivers;
    }

    public async Task<OpenConnection> OpenAsync(ConnectionRecord record, string? project, CancellationToken cancellationToken)
    {
        var resolved = _resolver.Resolve(record, project);
        var driver = _drivers.Get(record.Driver);
        var dialect = driver.GetDialect(record.Dialect);
        var connection = await driver.OpenAsync(resolved, cancellationToken);
        return new OpenConnection(record, resolved, driver, dialect, connection, cancellationToken);
    }

    /// <summary>
    /// The connection's driver's verdict on an error: true when the same work may succeed if tried again unchanged (a
    /// refused connection, a timeout, a deadlock, a serialization failure), false for an error only a change can fix.
    /// </summary>
    public bool IsTransient(ConnectionRecord record, Exception error)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(error);
        return _drivers.Get(record.Driver).IsTransient(error);
    }

    /// <summary>Whether the connection reaches a server over the network (PostgreSQL, MySQL/MariaDB, SQL Server), not a file or ODBC.</summary>
    public bool IsNetworkServer(ConnectionRecord record) => _drivers.IsNetworkServer(record.Driver);

    /// <summary>The dialect of a connection without opening it (to build SQL text for a preview).</summary>
    public ISqlDialect DialectOf(ConnectionRecord record) => _drivers.Get(record.Driver).GetDialect(record.Dialect);
}
