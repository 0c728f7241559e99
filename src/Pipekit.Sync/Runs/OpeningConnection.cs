using Pipekit.Core.Connections;

namespace Pipekit.Sync.Runs;

/// <summary>
/// A run's source connection, opened in the background while the run checks its destination and resolves its
/// watermarks: on a server engine the connection's set-up (its round trips, the driver's type catalogue) then overlaps
/// that work instead of following it. <see cref="TakeAsync"/> hands the connection over (or throws the error opening it
/// met, at the point the run needs it, as a connection opened there would); disposing it before that closes the
/// connection once it has opened, because a run that failed before it needed its source has its own error to report.
/// </summary>
internal sealed class OpeningConnection : IAsyncDisposable
{
    private readonly ConnectionFactory _factory;
    private readonly ConnectionRecord _record;
    private readonly string? _project;
    private readonly CancellationToken _cancellationToken;
    private Task<OpenConnection>? _opening;
    private bool _taken;

    private OpeningConnection(ConnectionFactory factory, ConnectionRecord record, string? project, CancellationToken cancellationToken)
    {
        _factory = factory;
        _record = record;
        _project = project;
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// Starts opening <paramref name="record"/> now when <paramref name="prefetch"/> is set and its engine is a server
    /// (PostgreSQL, MySQL/MariaDB, SQL Server); a file engine (SQLite, DuckDB, Parquet) or ODBC is opened by
    /// <see cref="TakeAsync"/>, where the run needs it, so that two opens of one file never race. A connection the
    /// <paramref name="warmup"/> opened before the run was queued is taken over instead.
    /// </summary>
    public static OpeningConnection Start(ConnectionFactory factory, ConnectionRecord record, string? project, bool prefetch, CancellationToken cancellationToken,
        ConnectionWarmup? warmup = null)
    {
        var connection = new OpeningConnection(factory, record, project, cancellationToken);
        if (prefetch && factory.IsNetworkServer(record))
            connection._opening = warmup is null ? factory.OpenAsync(record, project, cancellationToken) : connection.WarmOrOpenAsync(warmup);
        return connection;
    }

    private async Task<OpenConnection> WarmOrOpenAsync(ConnectionWarmup warmup) =>
        await warmup.TakeAsync(_record) ?? await _factory.OpenAsync(_record, _project, _cancellationToken);

    /// <summary>The open connection, which the caller then owns and disposes.</summary>
    public Task<OpenConnection> TakeAsync()
    {
        if (_taken) throw new InvalidOperationException("the source connection was taken already");
        _taken = true;
        var opening = _opening ?? _factory.OpenAsync(_record, _project, _cancellationToken);
        _opening = null;
        return opening;
    }

    public async ValueTask DisposeAsync()
    {
        if (_opening is not { } opening) return;
        _opening = null;
        try
        {
            await (await opening).DisposeAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The run ended before it needed its source, with an error of its own; this one would only hide it.
        }
    }
}
