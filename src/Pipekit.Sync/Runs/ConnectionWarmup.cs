using Pipekit.Core.Connections;
using Pipekit.Sync.Modules;

namespace Pipekit.Sync.Runs;

/// <summary>
/// A module's server connections, opened in the background before its run is queued, so a short-lived process (a cron
/// job's <c>pipekit run</c>) pays for their set-up (TCP, authentication, Npgsql's type catalogue) while it takes the
/// module's lock and records the run, instead of after. The run takes each connection with <see cref="TakeAsync"/>;
/// an error opening it is thrown there, where the run needs the connection, as an open at that point would throw it
/// (so an unreachable server costs one connect timeout, not two). A connection whose stored definition was edited
/// meanwhile is not handed over, and the run opens it itself. Only network servers are opened (opening a DuckDB file
/// may create it), and a dry run's source never is, as the run itself does not read it. Disposing cancels what is
/// still opening and closes what the run did not take.
/// </summary>
public sealed class ConnectionWarmup : IAsyncDisposable
{
    private readonly Dictionary<long, Task<OpenConnection?>> _opening = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _cancellation;

    private ConnectionWarmup(CancellationToken cancellationToken)
    {
        _cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
    }

    /// <summary>
    /// Starts opening the server connections of a module known so far by its <paramref name="endpoints"/> (read before
    /// the rest of it); never throws. Should the module loaded afterwards name other connections, the run finds none of
    /// them here and opens its own, and disposing closes these.
    /// </summary>
    public static ConnectionWarmup Start(ConnectionRepository connections, ConnectionFactory factory, ModuleEndpoints endpoints, bool dryRun,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var warmup = new ConnectionWarmup(cancellationToken);
        var token = warmup._cancellation.Token;
        long[] ids = dryRun ? [endpoints.DestConnectionId] : [.. new[] { endpoints.SourceConnectionId, endpoints.DestConnectionId }.Distinct()];
        foreach (var id in ids)
            warmup._opening[id] = Task.Run(() => OpenAsync(connections, factory, id, endpoints.Project, token), CancellationToken.None);
        return warmup;
    }

    /// <summary>
    /// The connection opened for <paramref name="record"/>, which the caller then owns; null when none was started (a
    /// file engine, a dry run's source), it was taken already, or <paramref name="record"/> would open differently from
    /// the definition it was opened from (an edit in between). Throws what opening it threw.
    /// </summary>
    public async Task<OpenConnection?> TakeAsync(ConnectionRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        Task<OpenConnection?>? opening;
        lock (_gate)
        {
            if (_opening.Remove(record.Id, out opening) is false) return null;
        }
        var open = await opening;
        if (open is null || OpensAlike(open.Record, record)) return open;
        await open.DisposeAsync();
        return null;
    }

    // What decides how a connection is opened; a note or a time stamp does not.
    private static bool OpensAlike(ConnectionRecord opened, ConnectionRecord wanted) =>
        (opened.Driver, opened.Url, opened.Username, opened.Password, opened.Dialect, opened.Project)
        == (wanted.Driver, wanted.Url, wanted.Username, wanted.Password, wanted.Dialect, wanted.Project);

    public async ValueTask DisposeAsync()
    {
        Task<OpenConnection?>[] left;
        lock (_gate)
        {
            left = [.. _opening.Values];
            _opening.Clear();
        }
        await _cancellation.CancelAsync();
        foreach (var opening in left)
        {
            try
            {
                if (await opening is { } open) await open.DisposeAsync();
            }
            catch (Exception error) when (error is not OutOfMemoryException)
            {
                // Not taken by the run, so not the run's error: it ended without needing this connection.
            }
        }
        _cancellation.Dispose();
    }

    private static async Task<OpenConnection?> OpenAsync(ConnectionRepository connections, ConnectionFactory factory, long id, string? project,
        CancellationToken cancellationToken)
    {
        var record = await connections.GetAsync(id, cancellationToken);
        return record is not null && factory.IsNetworkServer(record) ? await factory.OpenAsync(record, project, cancellationToken) : null;
    }
}
