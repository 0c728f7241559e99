using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Pipekit.Core.Drivers;

/// <summary>
/// Opens a connection and runs the dialect's probe query (<c>SELECT 1</c> or the engine's equivalent), the check
/// behind <c>pipekit connections test</c> and <c>pipekit doctor</c>. Never throws for a bad connection: the
/// failure is the result. Errors never contain the password.
/// </summary>
public sealed class ConnectionTester
{
    private readonly DriverRegistry _drivers;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ConnectionTester(DriverRegistry drivers, TimeProvider timeProvider, ILogger<ConnectionTester>? logger = null)
    {
        _drivers = drivers ?? throw new ArgumentNullException(nameof(drivers));
        _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    public async Task<ConnectionTestResult> TestAsync(ResolvedConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var started = _time.GetTimestamp();
        try
        {
            var driver = _drivers.Resolve(connection.Driver, connection.Url);
            var dialect = driver.GetDialect(connection.Dialect);
            await using var db = await driver.OpenAsync(connection, cancellationToken);
            await using var command = db.CreateCommand();
            command.CommandText = dialect.ProbeQuery;
            await command.ExecuteScalarAsync(cancellationToken);
            var version = driver.DescribeServer(db);
            _logger.LogDebug("Connection {Connection} answered: {ServerVersion}", connection.Name, version);
            return new ConnectionTestResult(true, _time.GetElapsedTime(started), version, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var message = ConnectionErrors.Scrub(FirstLine(ex.Message), connection.Password);
            _logger.LogDebug("Connection {Connection} failed: {Error}", connection.Name, message);
            return new ConnectionTestResult(false, _time.GetElapsedTime(started), null, message);
        }
    }

    private static string FirstLine(string message)
    {
        var newline = message.IndexOfAny(['\r', '\n']);
        return newline < 0 ? message : message[..newline];
    }
}
